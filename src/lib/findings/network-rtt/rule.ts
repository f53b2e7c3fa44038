import type {ProbeEvidence} from '../../evidence/types.js'
import type {Finding, Rule} from '../types.js'
import {median} from '../../shared/stats.js'
import {remedyFor, round} from '../format.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS

/**
 * One node answers PING much later than the others (warning), or every node is far from rcdiag (info).
 * Each node is compared with the median round trip of the *other* reachable nodes.
 * Not provokable on a loopback lab (every node is ~0.1 ms away): covered by unit tests only.
 */
export const networkRtt: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const timed = evidence.nodes
    .filter((n) => n.reachable && typeof n.rttMs === 'number' && Number.isFinite(n.rttMs))
    // The fastest PING is the network's share; the median also carries scheduling noise (a busy
    // host on either side), which is not what this rule is about.
    .map((n) => ({address: n.address, role: n.role, rtt: n.rttMinMs ?? (n.rttMs as number)}))
  if (timed.length === 0) return undefined

  const slow =
    timed.length >= 2
      ? timed
          .map((n) => ({...n, others: median(timed.filter((o) => o !== n).map((o) => o.rtt))}))
          .filter((n) => n.rtt >= T.ratioToMedian * n.others && n.rtt - n.others >= T.minExtraMs)
          .sort((a, b) => b.rtt - a.rtt || a.address.localeCompare(b.address))
      : []
  // "One node slower than the rest": when half the nodes or more look slow, the rest is not the norm
  // (rcdiag's own host was busy, or the nodes sit in two places): no node is singled out.
  if (slow.length > 1 && slow.length >= timed.length * T.slowNodesFraction) slow.length = 0
  const allFar = timed.every((n) => n.rtt >= T.absoluteInfoMs)
  if (slow.length === 0 && !allFar) return undefined

  const bySpeed = [...timed].sort((a, b) => b.rtt - a.rtt)
  const overall = median(timed.map((n) => n.rtt))
  const lines: string[] = []
  for (const n of slow) {
    lines.push(
      `${n.address} (${n.role}): ${round(n.rtt, 2)} ms, ${n.others > 0 ? `${round(n.rtt / n.others, 1)} x` : 'far above'} the median of the other nodes (${round(n.others, 2)} ms), +${round(n.rtt - n.others, 2)} ms`,
    )
  }
  lines.push(`PING round trip per node (fastest of several): ${bySpeed.map((n) => `${n.address} ${round(n.rtt, 2)} ms`).join(', ')}`)
  if (allFar)
    lines.push(
      `every reachable node is >= ${T.absoluteInfoMs} ms from rcdiag (median ${round(overall, 2)} ms): every timing in this report includes that distance`,
    )

  if (slow.length > 0) {
    const top = slow[0]
    return {
      id: 'network-rtt',
      severity: 'warning',
      confidence: T.warningConfidence,
      title:
        `${top.address} answers slowly: ${round(top.rtt, 2)} ms round trip vs ${round(top.others, 2)} ms for the other nodes` +
        (slow.length > 1 ? ` (${slow.length} slow nodes)` : ''),
      evidence: lines,
      remedy: remedyFor(
        ENTRY,
        `Here: ${slow.map((n) => n.address).join(', ')}; commands for ${slow.length > 1 ? 'their' : 'its'} slots pay the extra ${round(top.rtt - top.others, 2)} ms.`,
      ),
      nodes: slow.map((n) => n.address),
      metrics: {slowNodes: slow.length, maxRttMs: top.rtt, othersMedianRttMs: round(top.others, 2), medianRttMs: round(overall, 2)},
    }
  }
  return {
    id: 'network-rtt',
    severity: 'info',
    confidence: T.infoConfidence,
    title: `rcdiag is far from the cluster: ${round(overall, 2)} ms median round trip to every node`,
    evidence: lines,
    remedy: remedyFor(ENTRY, "Here: run rcdiag from the clients' host or network to see what they see."),
    nodes: bySpeed.map((n) => n.address),
    metrics: {slowNodes: 0, maxRttMs: bySpeed[0].rtt, medianRttMs: round(overall, 2)},
  }
}
