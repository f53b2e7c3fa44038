import type {NodeEvidence, ProbeEvidence, SlowlogSummary} from '../../evidence/types.js'
import type {Finding, Rule} from '../types.js'
import {remedyFor} from '../format.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS
const ms = (us: number) => Number((us / 1000).toFixed(1))
const MAX_COMMAND_LINES = 5
const MAX_PATTERN_LINES = 5

interface Merged {
  count: number
  totalUs: number
  maxUs: number
  /** total µs per node address */
  nodeUs: Map<string, number>
}

/** Merges per-node rows (top commands or top patterns) under a key, most total time first. */
function mergeRows<R extends {count: number; totalUs: number; maxUs: number}>(
  nodes: WithSlowlog[],
  rowsOf: (slowlog: SlowlogSummary) => R[] | undefined,
  keyOf: (row: R) => string,
): Array<[string, Merged]> {
  const merged = new Map<string, Merged>()
  for (const node of nodes) {
    for (const row of rowsOf(node.slowlog) ?? []) {
      const key = keyOf(row)
      const m = merged.get(key) ?? {count: 0, totalUs: 0, maxUs: 0, nodeUs: new Map<string, number>()}
      m.count += row.count
      m.totalUs += row.totalUs
      m.maxUs = Math.max(m.maxUs, row.maxUs)
      m.nodeUs.set(node.address, (m.nodeUs.get(node.address) ?? 0) + row.totalUs)
      merged.set(key, m)
    }
  }
  return [...merged.entries()].sort((a, b) => b[1].totalUs - a[1].totalUs || b[1].count - a[1].count || a[0].localeCompare(b[0]))
}

/** The node where a command or pattern spent most time. */
const busiestNode = (m: Merged) => [...m.nodeUs.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0]

type WithSlowlog = NodeEvidence & {slowlog: SlowlogSummary}

/** SLOWLOG entries on any node: commands that blocked the server. */
export const slowCommands: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const nodes = evidence.nodes.filter((n): n is WithSlowlog => n.reachable && n.slowlog !== undefined && n.slowlog.length > 0)
  if (nodes.length === 0) return undefined

  // Merge the per-node top commands and key patterns.
  const ranked = mergeRows(
    nodes,
    (s) => s.topCommands,
    (c) => c.command.toUpperCase(),
  )
  const patterns = mergeRows(
    nodes,
    (s) => s.topPatterns,
    (p) => p.pattern,
  )

  const totalLength = nodes.reduce((sum, n) => sum + n.slowlog.length, 0)
  const totalRead = nodes.reduce((sum, n) => sum + n.slowlog.read, 0)
  const maxUs = Math.max(...nodes.map((n) => n.slowlog.maxDurationUs))
  const byTime = [...nodes].sort((a, b) => b.slowlog.maxDurationUs - a.slowlog.maxDurationUs || b.slowlog.length - a.slowlog.length)
  const warning = maxUs >= T.warningMs * 1000 || totalLength >= T.warningEntries

  const lines: string[] = []
  lines.push(`${totalLength} SLOWLOG entries on ${nodes.length} node(s) (${totalRead} read), slowest ${ms(maxUs)} ms`)
  for (const [name, c] of ranked.slice(0, MAX_COMMAND_LINES)) {
    lines.push(`${name}: ${c.count} entries, total ${ms(c.totalUs)} ms, max ${ms(c.maxUs)} ms`)
  }
  if (ranked.length > MAX_COMMAND_LINES) lines.push(`and ${ranked.length - MAX_COMMAND_LINES} more command(s)`)
  for (const [pattern, p] of patterns.slice(0, MAX_PATTERN_LINES)) {
    lines.push(`pattern ${pattern}: ${p.count} entries, total ${ms(p.totalUs)} ms, max ${ms(p.maxUs)} ms, most on ${busiestNode(p)}`)
  }
  if (patterns.length > MAX_PATTERN_LINES) lines.push(`and ${patterns.length - MAX_PATTERN_LINES} more pattern(s)`)
  for (const node of byTime) {
    const threshold = node.config['slowlog-log-slower-than']
    lines.push(
      `${node.address}: SLOWLOG LEN ${node.slowlog.length}, max ${ms(node.slowlog.maxDurationUs)} ms` +
        (typeof threshold === 'number' ? ` (slowlog-log-slower-than ${threshold} us)` : ''),
    )
  }
  const newest = Math.max(...nodes.map((n) => n.slowlog.newestTimestamp ?? 0))
  if (newest > 0) lines.push(`newest entry at ${new Date(newest * 1000).toISOString()}`)

  const top = ranked[0]
  const topPattern = patterns[0]
  // What the title names: the top key pattern, else the top command; and the node where it spent most time
  // (else the node with the slowest entry).
  const headline = topPattern ?? top
  const topNode = headline ? busiestNode(headline[1]) : byTime[0].address
  const title = headline
    ? `Slow commands: ${headline[0]} tops SLOWLOG (${headline[1].count} entries, max ${ms(headline[1].maxUs)} ms) on ${topNode}`
    : `Slow commands: ${totalLength} SLOWLOG entries, max ${ms(maxUs)} ms, most on ${topNode}`

  let confidence: number = warning ? T.warningConfidence : T.infoConfidence
  if (maxUs >= T.severeMs * 1000) confidence += T.severeConfidence

  const metrics: Record<string, number> = {
    slowlogEntries: totalLength,
    slowlogRead: totalRead,
    maxDurationMs: ms(maxUs),
    nodesWithEntries: nodes.length,
  }
  if (top) {
    metrics.topCommandCount = top[1].count
    metrics.topCommandMaxMs = ms(top[1].maxUs)
    metrics.topCommandTotalMs = ms(top[1].totalUs)
  }
  if (topPattern) {
    metrics.topPatternCount = topPattern[1].count
    metrics.topPatternMaxMs = ms(topPattern[1].maxUs)
    metrics.topPatternTotalMs = ms(topPattern[1].totalUs)
  }
  if (newest > 0) metrics.newestTimestamp = newest

  return {
    id: 'slow-commands',
    severity: warning ? 'warning' : 'info',
    confidence: Number(confidence.toFixed(2)),
    title,
    evidence: lines,
    remedy: remedyFor(ENTRY, headline ? `Here: start with ${headline[0]} on ${topNode}.` : undefined),
    nodes: byTime.map((n) => n.address),
    metrics,
  }
}
