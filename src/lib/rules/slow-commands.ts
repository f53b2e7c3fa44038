import type {Finding, NodeEvidence, ProbeEvidence, Rule, SlowlogSummary} from '../evidence/types.js'
import {remedyFor, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS.slowCommands
const ms = (us: number) => Number((us / 1000).toFixed(1))
const MAX_COMMAND_LINES = 5

type WithSlowlog = NodeEvidence & {slowlog: SlowlogSummary}

/** SLOWLOG entries on any node: commands that blocked the server. */
export const slowCommands: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const nodes = evidence.nodes.filter((n): n is WithSlowlog => n.reachable && n.slowlog !== undefined && n.slowlog.length > 0)
  if (nodes.length === 0) return undefined

  // Merge the per-node top commands.
  const commands = new Map<string, {count: number; totalUs: number; maxUs: number; nodeUs: Map<string, number>}>()
  for (const node of nodes) {
    for (const c of node.slowlog.topCommands) {
      const name = c.command.toUpperCase()
      const merged = commands.get(name) ?? {count: 0, totalUs: 0, maxUs: 0, nodeUs: new Map<string, number>()}
      merged.count += c.count
      merged.totalUs += c.totalUs
      merged.maxUs = Math.max(merged.maxUs, c.maxUs)
      merged.nodeUs.set(node.address, (merged.nodeUs.get(node.address) ?? 0) + c.totalUs)
      commands.set(name, merged)
    }
  }
  const ranked = [...commands.entries()].sort((a, b) => b[1].totalUs - a[1].totalUs || b[1].count - a[1].count || a[0].localeCompare(b[0]))

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
  // The node where the top command spent most time; else the node with the slowest entry.
  const topNode = top ? [...top[1].nodeUs.entries()].sort((a, b) => b[1] - a[1])[0][0] : byTime[0].address
  const title = top
    ? `Slow commands: ${top[0]} tops SLOWLOG (${top[1].count} entries, max ${ms(top[1].maxUs)} ms), most on ${topNode}`
    : `Slow commands: ${totalLength} SLOWLOG entries, max ${ms(maxUs)} ms, most on ${topNode}`

  let confidence = warning ? 0.7 : 0.4
  if (maxUs >= T.severeMs * 1000) confidence += 0.15

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
  if (newest > 0) metrics.newestTimestamp = newest

  return {
    id: 'slow-commands',
    severity: warning ? 'warning' : 'info',
    confidence: Number(confidence.toFixed(2)),
    title,
    evidence: lines,
    remedy: remedyFor('slow-commands', top ? `Here: start with ${top[0]} on ${topNode}.` : undefined),
    nodes: byTime.map((n) => n.address),
    metrics,
  }
}
