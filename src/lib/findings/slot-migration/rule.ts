import type {ProbeEvidence} from '../../evidence/types.js'
import type {Finding, Rule} from '../types.js'
import {remedyFor, slotRanges} from '../format.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS
const MAX_RANGES = 8

const list = (slots: number[]) => {
  const r = slotRanges(slots)
  return r.slice(0, MAX_RANGES).join(', ') + (r.length > MAX_RANGES ? `, ... (${r.length} ranges)` : '')
}

interface Move {
  sourceId?: string
  targetId?: string
  markedBySource: boolean
  markedByTarget: boolean
}

/** Migrating/importing slot markers: ASK redirects while they last, forever if the resharding was interrupted. */
export const slotMigration: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const reachable = evidence.nodes.filter((n) => n.reachable)
  if (!reachable.some((n) => n.migrating.length > 0 || n.importing.length > 0)) return undefined

  const addressOf = new Map<string, string>()
  for (const node of evidence.nodes) {
    for (const range of node.slotOwners ?? []) addressOf.set(range.ownerId, range.ownerAddress)
  }
  for (const node of evidence.nodes) if (node.id) addressOf.set(node.id, node.address)
  const reachableById = new Map(reachable.filter((n) => n.id).map((n) => [n.id!, n]))

  // slot → source/target pair; a node's own id may be unknown, so keep its address as a fallback key.
  const moves = new Map<string, Move & {slot: number}>()
  const keyOf = (slot: number, source: string, target: string) => `${slot}|${source}|${target}`
  const selfKey = (node: (typeof reachable)[number]) => node.id ?? `@${node.address}`
  for (const node of reachable) {
    for (const m of node.migrating) {
      const key = keyOf(m.slot, selfKey(node), m.toNodeId)
      const move = moves.get(key) ?? {
        slot: m.slot,
        sourceId: selfKey(node),
        targetId: m.toNodeId,
        markedBySource: false,
        markedByTarget: false,
      }
      move.markedBySource = true
      moves.set(key, move)
    }
    for (const m of node.importing) {
      const key = keyOf(m.slot, m.fromNodeId, selfKey(node))
      const move = moves.get(key) ?? {
        slot: m.slot,
        sourceId: m.fromNodeId,
        targetId: selfKey(node),
        markedBySource: false,
        markedByTarget: false,
      }
      move.markedByTarget = true
      moves.set(key, move)
    }
  }
  const name = (id: string | undefined) =>
    id === undefined ? 'unknown' : id.startsWith('@') ? id.slice(1) : (addressOf.get(id) ?? `node ${id.slice(0, 8)}`)

  // Group by pair.
  const pairs = new Map<string, {source: string; target: string; slots: number[]; halfMarked: number[]}>()
  const concerned = new Set<string>()
  for (const move of moves.values()) {
    const source = name(move.sourceId)
    const target = name(move.targetId)
    const pairKey = `${source} -> ${target}`
    const pair = pairs.get(pairKey) ?? {source, target, slots: [], halfMarked: []}
    pair.slots.push(move.slot)
    // One side marked while the other side is reachable, known and unmarked: an interrupted resharding.
    const otherId = move.markedBySource ? move.targetId : move.sourceId
    const otherReachable = otherId !== undefined && reachableById.has(otherId)
    if (!(move.markedBySource && move.markedByTarget) && otherReachable) pair.halfMarked.push(move.slot)
    pairs.set(pairKey, pair)
    concerned.add(source)
    concerned.add(target)
  }

  const allSlots = [...new Set([...moves.values()].map((m) => m.slot))]
  const halfMarked = [...pairs.values()].flatMap((p) => p.halfMarked)
  const lines = [`${allSlots.length} slot(s) in migration: ${list(allSlots)}`]
  for (const pair of pairs.values()) {
    lines.push(`${pair.source} -> ${pair.target}: slot(s) ${list(pair.slots)} (${new Set(pair.slots).size})`)
  }
  if (halfMarked.length > 0) {
    lines.push(
      `slot(s) ${list(halfMarked)} marked on one side only (the other node is reachable and has no marker): an interrupted resharding, stuck until fixed`,
    )
  }
  // undefined: no sample; null: the servers cannot count ASK replies (no errorstats before Redis 6.2)
  const ask = evidence.sample?.cluster.askPerSec
  if (typeof ask === 'number') lines.push(`${Number(ask.toFixed(2))} ASK redirects/s during the sample`)
  if (ask === null) lines.push('ASK redirects/s unknown: these servers do not count error replies (INFO errorstats, Redis 6.2+)')

  let confidence: number = T.baseConfidence
  if (typeof ask === 'number' && ask > 0) confidence += T.askConfidence
  if (halfMarked.length > 0) confidence += T.halfMarkedConfidence

  const metrics: Record<string, number> = {
    slotsInMigration: allSlots.length,
    migrationPairs: pairs.size,
    halfMarkedSlots: new Set(halfMarked).size,
  }
  if (typeof ask === 'number') metrics.askPerSec = ask

  return {
    id: 'slot-migration',
    severity: 'warning',
    confidence: Number(confidence.toFixed(2)),
    title:
      `${allSlots.length} slot(s) being migrated` +
      (halfMarked.length > 0 ? ', some stuck half-way' : '') +
      ': ASK redirects for moved keys',
    evidence: lines,
    remedy: remedyFor(
      ENTRY,
      halfMarked.length > 0 ? `Here: slot(s) ${list(halfMarked)} look stuck; run \`redis-cli --cluster fix\`.` : undefined,
    ),
    nodes: [...concerned],
    metrics,
  }
}
