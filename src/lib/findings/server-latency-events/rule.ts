import type {ProbeEvidence} from '../../evidence/types.js'
import type {Finding, Rule} from '../types.js'
import type {LatencyLatestEvent} from '../../parse/types.js'
import {remedyFor} from '../format.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS
const MAX_EVENT_LINES = 8

const iso = (unixSeconds: number) => (unixSeconds > 0 ? new Date(unixSeconds * 1000).toISOString() : 'unknown time')

/**
 * LATENCY LATEST events: the server itself stalled (fork, AOF fsync, expire cycle, eviction...).
 * Any event is a warning, critical when an event's max reaches `criticalMs`. With no event anywhere and
 * the monitor off (`latency-monitor-threshold` 0), an info saying so: stalls would go unrecorded.
 */
export const serverLatencyEvents: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const reachable = evidence.nodes.filter((n) => n.reachable)
  const events: Array<LatencyLatestEvent & {address: string}> = []
  for (const node of reachable) for (const e of node.latencyLatest) events.push({...e, address: node.address})

  if (events.length === 0) return monitorOff(reachable)

  // Worst first: by max, then latest, then the most recent.
  events.sort((a, b) => b.maxMs - a.maxMs || b.latestMs - a.latestMs || b.timestamp - a.timestamp || a.address.localeCompare(b.address))
  const worst = events[0]
  const critical = worst.maxMs >= T.criticalMs
  const nodes = [...new Set(events.map((e) => e.address))]
  const names = [...new Set(events.map((e) => e.event))]
  const newest = events.reduce((latest, e) => (e.timestamp > latest.timestamp ? e : latest), worst)

  const lines = [`${events.length} LATENCY LATEST event(s) on ${nodes.length}/${reachable.length} reachable node(s): ${names.join(', ')}`]
  for (const e of events.slice(0, MAX_EVENT_LINES)) {
    lines.push(`${e.address}: ${e.event} latest ${e.latestMs} ms, max ${e.maxMs} ms, last at ${iso(e.timestamp)}`)
  }
  if (events.length > MAX_EVENT_LINES) lines.push(`and ${events.length - MAX_EVENT_LINES} more event(s)`)
  for (const address of nodes) {
    const threshold = reachable.find((n) => n.address === address)?.config['latency-monitor-threshold']
    if (typeof threshold === 'number')
      lines.push(`${address}: latency-monitor-threshold ${threshold} ms (events below it are not recorded)`)
  }
  lines.push(
    `most recent spike: ${newest.event} on ${newest.address} at ${iso(newest.timestamp)} (events are kept since start or the last LATENCY RESET)`,
  )

  const hints: string[] = []
  if (names.some((n) => n.startsWith('fork'))) hints.push('fork events: see fork-latency.')
  if (names.some((n) => n.startsWith('aof'))) hints.push('aof events: check `appendfsync` and the disk.')
  if (names.some((n) => n.startsWith('expire'))) hints.push('expire-cycle: many keys expire at once; add jitter to TTLs.')
  if (names.some((n) => n.startsWith('eviction'))) hints.push('eviction events: see memory-pressure.')
  if (names.some((n) => n === 'command' || n === 'fast-command')) hints.push('command events: see slow-commands and `rcdiag slowlog`.')

  // LATENCY LATEST keeps spikes since start: a week-old fork is history, not today's cause.
  const ageHours = evidence.takenAtMs && newest.timestamp > 0 ? (evidence.takenAtMs / 1000 - newest.timestamp) / 3600 : undefined
  const stale = ageHours !== undefined && ageHours >= T.staleAfterHours
  if (stale)
    lines.push(
      `the newest spike is ${Math.round(ageHours)} h old (>= ${T.staleAfterHours} h): history, not a current cause; \`LATENCY RESET\` clears it`,
    )

  return {
    id: 'server-latency-events',
    severity: stale ? 'info' : critical ? 'critical' : 'warning',
    confidence: critical ? T.criticalConfidence : T.warningConfidence,
    title:
      (stale ? `Old server latency spikes (newest ${Math.round(ageHours)} h ago): ` : 'Server latency spikes: ') +
      `${worst.event} up to ${worst.maxMs} ms on ${worst.address}` +
      (events.length > 1 ? ` (${events.length} events on ${nodes.length} node(s))` : ''),
    evidence: lines,
    remedy: remedyFor(
      ENTRY,
      hints.length > 0 ? `Here: ${hints.join(' ')}` : undefined,
      `Inspect with \`LATENCY HISTORY ${worst.event}\` on ${worst.address}.`,
    ),
    nodes,
    metrics: {
      events: events.length,
      nodesWithEvents: nodes.length,
      maxMs: worst.maxMs,
      latestMs: worst.latestMs,
      newestTimestamp: newest.timestamp,
    },
  }
}

/** No events anywhere: if the monitor is off on reachable nodes, say so (info), since "no events" then means "not measured". */
function monitorOff(reachable: ProbeEvidence['nodes']): Finding | undefined {
  const off = reachable.filter((n) => n.config['latency-monitor-threshold'] === 0)
  if (off.length === 0) return undefined
  const addresses = off.map((n) => n.address)
  const on = reachable.filter((n) => typeof n.config['latency-monitor-threshold'] === 'number' && !off.includes(n))
  const lines = [`latency-monitor-threshold 0 on ${off.length}/${reachable.length} reachable node(s): ${addresses.join(', ')}`]
  lines.push('LATENCY LATEST is empty there because nothing is measured, not because nothing stalled')
  if (on.length > 0)
    lines.push(`monitor on (no events) on ${on.map((n) => `${n.address} (${n.config['latency-monitor-threshold']} ms)`).join(', ')}`)
  return {
    id: 'server-latency-events',
    severity: 'info',
    confidence: T.monitorOffConfidence,
    title: `Latency monitor is off on ${off.length} node(s): server-side stalls go unrecorded`,
    evidence: lines,
    remedy: remedyFor(
      ENTRY,
      `Here: \`CONFIG SET latency-monitor-threshold ${T.suggestedMonitorMs}\` on ${addresses.join(', ')}, then probe again after the next slow period.`,
    ),
    nodes: addresses,
    metrics: {nodesMonitorOff: off.length, reachableNodes: reachable.length},
  }
}
