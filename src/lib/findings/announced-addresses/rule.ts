import type {AddressingEvidence, ProbeEvidence} from '../../evidence/types.js'
import {portOf} from '../../shared/address.js'
import {remedyFor} from '../format.js'
import type {Finding, Rule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS

/** The seed answered, the announced addresses do not lead to the nodes: say which, from where, and how to map them. */
export const announcedAddresses: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const a = evidence.addressing
  if (!a?.unusable) return undefined
  const wrong = a.failing.filter((f) => f.answeredAs)
  const silent = a.failing.filter((f) => !f.answeredAs)
  const total = evidence.nodes.length
  const lines = [seedLine(a)]
  for (const f of a.failing.slice(0, T.maxListed)) lines.push(failingLine(f))
  if (a.failing.length > T.maxListed) lines.push(`… and ${a.failing.length - T.maxListed} more announced address(es) likewise`)
  if (a.natMap.length > 0)
    lines.push(`--nat-map used: ${a.natMap.join(', ')} (${a.mappedNodes} of ${total} node(s) reached at a mapped address)`)
  lines.push('Any cluster client on this host follows the same announced addresses and fails the same way.')

  const what = [
    silent.length > 0 ? `${silent.length} of ${total} do not answer` : '',
    wrong.length > 0 ? `${wrong.length} of ${total} lead to another node` : '',
  ].filter(Boolean)
  const state = a.seedClusterState ? ` (the cluster says cluster_state ${a.seedClusterState})` : ''
  const hint = a.suggestedNatMap
    ? `Here: the seed answered at ${a.seed} and is announced as ${a.seedAnnouncedAs}; to probe from this host, try \`--nat-map ${a.suggestedNatMap}\`` +
      (portOf(a.seedAnnouncedAs ?? '') === portOf(a.seed) ? ' (every port of that host).' : ' and one such mapping per node.')
    : undefined
  return {
    id: ENTRY.id,
    severity: 'critical',
    confidence: T.confidence,
    title: `The cluster's announced addresses are unreachable from here: ${what.join(', ')}; the seed ${a.seed} answered${state}`,
    evidence: lines,
    remedy: remedyFor(ENTRY, hint),
    nodes: a.failing.map((f) => f.address),
    metrics: {announcedUnreachable: silent.length, announcedWrongNode: wrong.length, natRules: a.natMap.length, mappedNodes: a.mappedNodes},
  }
}

function seedLine(a: AddressingEvidence): string {
  const who = a.seedId ? ` as node ${a.seedId.slice(0, 8)}` : ''
  const announced = a.seedAnnouncedAs && a.seedAnnouncedAs !== a.seed ? `, which the cluster announces as ${a.seedAnnouncedAs}` : ''
  const state = a.seedClusterState ? ` (cluster_state ${a.seedClusterState})` : ''
  return `the seed answered at ${a.seed}${who}${announced}${state}`
}

function failingLine(f: AddressingEvidence['failing'][number]): string {
  const via = f.connectedAt ? ` (reached via --nat-map at ${f.connectedAt})` : ''
  if (f.answeredAs) {
    const other = f.answeredAs.announcedAs ? `, which the cluster announces at ${f.answeredAs.announcedAs}` : ''
    return `${f.address}${via}: another node answered (id ${f.answeredAs.id.slice(0, 8)}${other})`
  }
  return `${f.address}${via}: ${f.reason}`
}
