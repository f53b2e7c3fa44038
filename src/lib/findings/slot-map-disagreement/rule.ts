import type {NodeEvidence, ProbeEvidence} from '../../evidence/types.js'
import type {Finding, Rule} from '../types.js'
import {remedyFor, slotRanges} from '../format.js'
import {TOTAL_SLOTS as TOTAL} from '../../shared/constants.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS
const MAX_RANGES = 5

interface View {
  node: NodeEvidence
  /** slot → owner id */
  owners: Array<string | undefined>
}

/** Reachable nodes disagree about which node owns a slot: MOVED redirects for every client. */
export const slotMapDisagreement: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const views: View[] = []
  const addressOf = new Map<string, string>()
  for (const node of evidence.nodes) {
    if (node.id) addressOf.set(node.id, node.address)
  }
  // Fast path, the healthy case: every view lists exactly the same ranges and owners. Comparing a few
  // dozen ranges per node is cheap; walking 16384 slots per node is not, on a 48-node cluster.
  const withViews = evidence.nodes.filter((n) => n.reachable && n.slotOwners && n.slotOwners.length > 0)
  const signature = (n: NodeEvidence) => (n.slotOwners ?? []).map((r) => `${r.start}-${r.end}:${r.ownerId}`).join(',')
  if (withViews.length < 2 || withViews.every((n) => signature(n) === signature(withViews[0]))) return undefined

  for (const node of withViews) {
    const owners = new Array<string | undefined>(TOTAL)
    for (const range of node.slotOwners ?? []) {
      if (!addressOf.has(range.ownerId)) addressOf.set(range.ownerId, range.ownerAddress)
      for (let slot = Math.max(0, range.start); slot <= Math.min(TOTAL - 1, range.end); slot++) owners[slot] = range.ownerId
    }
    views.push({node, owners})
  }
  if (views.length < 2) return undefined

  const disagreeing: number[] = []
  const dissent = new Map<string, number>() // node address → slots where it holds a minority view
  for (let slot = 0; slot < TOTAL; slot++) {
    // Fast path: every view that knows the slot names the same owner.
    let first: string | undefined
    let split = false
    for (const view of views) {
      const owner = view.owners[slot]
      if (owner === undefined) continue
      if (first === undefined) first = owner
      else if (owner !== first) {
        split = true
        break
      }
    }
    if (!split) continue
    const votes = new Map<string, number>()
    for (const view of views) {
      const owner = view.owners[slot]
      if (owner !== undefined) votes.set(owner, (votes.get(owner) ?? 0) + 1)
    }
    if (votes.size < 2) continue
    disagreeing.push(slot)
    const best = Math.max(...votes.values())
    const leaders = [...votes.entries()].filter(([, count]) => count === best).map(([owner]) => owner)
    for (const view of views) {
      const owner = view.owners[slot]
      if (owner === undefined) continue
      // On a tie every side is suspect.
      if (leaders.length > 1 || owner !== leaders[0]) dissent.set(view.node.address, (dissent.get(view.node.address) ?? 0) + 1)
    }
  }
  if (disagreeing.length === 0) return undefined

  const example = disagreeing[0]
  const describe = (view: View) => {
    const owner = view.owners[example]!
    const epoch = view.node.currentEpoch !== undefined ? `, epoch ${view.node.currentEpoch}` : ''
    return `${view.node.address} says ${owner.slice(0, 8)} (${addressOf.get(owner) ?? 'unknown address'})${epoch}`
  }
  const byOwner = new Map<string, View[]>()
  for (const view of views) {
    const owner = view.owners[example]
    if (owner !== undefined) byOwner.set(owner, [...(byOwner.get(owner) ?? []), view])
  }
  const sides = [...byOwner.values()]
    .sort((a, b) => b.length - a.length)
    .map((side) => describe(side[0]) + (side.length > 1 ? ` (and ${side.length - 1} more node(s))` : ''))

  const disagreeingRanges = slotRanges(disagreeing)
  const lines = [
    `${disagreeing.length} slot(s) with different owners across ${views.length} node views: ${disagreeingRanges.slice(0, MAX_RANGES).join(', ')}${disagreeingRanges.length > MAX_RANGES ? `, ... (${disagreeingRanges.length} ranges)` : ''}`,
    `example slot ${example}: ${sides.join('; ')}`,
  ]
  const dissenters = [...dissent.entries()].sort((a, b) => b[1] - a[1])
  for (const [address, count] of dissenters) lines.push(`${address} holds a minority or tied view on ${count} slot(s)`)
  const migrating = evidence.nodes.some((n) => n.reachable && (n.migrating.length > 0 || n.importing.length > 0))
  if (migrating) lines.push('slots are being migrated: views may still be converging after CLUSTER SETSLOT')

  return {
    id: 'slot-map-disagreement',
    severity: 'critical',
    confidence: migrating ? T.migratingConfidence : T.confidence,
    title: `Nodes disagree about the owner of ${disagreeing.length} slot(s): clients get MOVED back and forth`,
    evidence: lines,
    remedy: remedyFor(ENTRY),
    nodes: dissenters.map(([address]) => address),
    metrics: {
      slotsInDisagreement: disagreeing.length,
      nodesCompared: views.length,
      nodesDisagreeing: dissenters.length,
      exampleSlot: example,
    },
  }
}
