import {serversText} from '../render/summaries.js'
import {makeTable} from '../render/table.js'

import {headline, renderFindings} from '../render/findings.js'
import type {SlowlogReport} from './report.js'
import type {Group, HistogramBucket, TimelineEntry} from './types.js'

const TOP_GROUPS = 15
const RECENT_ENTRIES = 20
const COMMAND_WIDTH = 100
const BAR_WIDTH = 40
/** Only slow-commands (and whether the nodes could be reached) runs on a SLOWLOG: its silence says nothing about the other causes. */
const NO_FINDINGS = 'Findings: none from SLOWLOG. For the other causes of intermittent latency, run `rcdiag probe`.'
/**
 * The human report, a pure function of the JSON document. Every argument in it was escaped when
 * collected, so nothing here can write a control character to the terminal.
 */
export function renderSlowlog(report: SlowlogReport): string {
  const parts = [summaryLine(report)]
  // Only the generic headline for a clean report claims more than SLOWLOG can show: leave it out.
  if (report.findings.some((f) => f.severity !== 'info')) parts.push(headline(report.findings))
  const problems = nodeProblems(report)
  if (problems) parts.push(problems)
  if (report.entries.length === 0) {
    parts.push('No SLOWLOG entries match.')
  } else {
    parts.push(groupsTable(report), recentTable(report.entries), histogramTable(report.histogram))
  }
  parts.push(report.findings.length > 0 ? renderFindings(report.findings) : NO_FINDINGS)
  return parts.join('\n\n') + '\n'
}

/** One line per entry for --follow: time, node, duration, client, command. */
export function renderFollowLine(entry: TimelineEntry): string {
  return [shortTime(entry.time), entry.node, formatUs(entry.durationUs).padStart(9), client(entry), commandLine(entry.args)].join('  ')
}

export function formatUs(us: number): string {
  if (us < 1000) return `${us} µs`
  if (us < 1_000_000) return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`
  return `${(us / 1_000_000).toFixed(2)} s`
}

/** The arguments on one line, cut to `width` without leaving half an escape sequence. */
export function commandLine(args: string[], width = COMMAND_WIDTH): string {
  const line = args.join(' ')
  if (line.length <= width) return line
  return line.slice(0, width).replace(/\\(x[0-9a-f]?|u(\{[0-9a-f]*)?)?$/, '') + '…'
}

function summaryLine(report: SlowlogReport): string {
  const reachable = report.nodes.filter((n) => n.reachable).length
  const read = report.nodes.reduce((sum, n) => sum + n.entries, 0)
  const filters = describeFilters(report)
  const own = report.filters.ownEntriesExcluded > 0 ? `, ${report.filters.ownEntriesExcluded} of rcdiag's own left out` : ''
  const servers = serversText(report.servers)
  const mapped = report.nodes.filter((n) => n.connectedAt).length
  return (
    `rcdiag slowlog ${report.target}: ${servers ? `${servers}, ` : ''}${reachable}/${report.nodes.length} nodes answered, ` +
    `${read} entries read, ${report.entries.length} shown${filters}${own}, grouped by ${report.groupBy}` +
    (mapped > 0 ? `\n--nat-map: ${mapped}/${report.nodes.length} nodes reached at a mapped address` : '')
  )
}

function describeFilters(report: SlowlogReport): string {
  const f = report.filters
  const parts: string[] = []
  if (f.since) parts.push(`since ${shortTime(f.since)}`)
  if (f.minDurationUs !== null) parts.push(`>= ${formatUs(f.minDurationUs)}`)
  if (f.count !== null) parts.push(`last ${f.count} per node`)
  return parts.length > 0 ? ` (${parts.join(', ')})` : ''
}

function nodeProblems(report: SlowlogReport): string {
  const lines: string[] = []
  for (const node of report.nodes) {
    if (!node.reachable) lines.push(`- ${node.address} (${node.role}): UNREACHABLE: ${node.error ?? 'no answer'}`)
    else if (node.skipped) lines.push(`- ${node.address} (${node.role}): skipped, ${node.skipped.command} refused: ${node.skipped.reason}`)
  }
  return lines.length > 0 ? ['Nodes not read', ...lines].join('\n') : ''
}

function groupsTable(report: SlowlogReport): string {
  const table = makeTable([groupTitle(report.groupBy), 'Count', 'Total', 'p50', 'Max', 'First seen', 'Last seen', 'Nodes'])
  for (const group of report.groups.slice(0, TOP_GROUPS)) table.push(groupRow(group))
  const more = report.groups.length > TOP_GROUPS ? `\n(${report.groups.length - TOP_GROUPS} more groups in --json)` : ''
  return `Top offenders by total time\n${table.toString()}${more}`
}

function groupRow(group: Group): string[] {
  const nodes = group.nodes.length <= 3 ? group.nodes.join(' ') : `${group.nodes.slice(0, 3).join(' ')} +${group.nodes.length - 3}`
  return [
    commandLine([group.key]),
    String(group.count),
    formatUs(group.totalUs),
    formatUs(group.p50Us),
    formatUs(group.maxUs),
    shortTime(group.firstSeen),
    shortTime(group.lastSeen),
    nodes,
  ]
}

function recentTable(entries: TimelineEntry[]): string {
  const table = makeTable(['Time', 'Node', 'Duration', 'Client', 'Command'])
  for (const entry of entries.slice(0, RECENT_ENTRIES)) {
    table.push([shortTime(entry.time), entry.node, formatUs(entry.durationUs), client(entry), commandLine(entry.args)])
  }
  const more = entries.length > RECENT_ENTRIES ? `\n(${entries.length - RECENT_ENTRIES} older entries in --json)` : ''
  return `Most recent entries\n${table.toString()}${more}`
}

function histogramTable(buckets: HistogramBucket[]): string {
  const max = Math.max(1, ...buckets.map((b) => b.count))
  const table = makeTable(['Duration', 'Entries', ''])
  for (const bucket of buckets) {
    const bar = bucket.count === 0 ? '' : '#'.repeat(Math.max(1, Math.round((bucket.count / max) * BAR_WIDTH)))
    table.push([bucket.label, String(bucket.count), bar])
  }
  return `Durations\n${table.toString()}`
}

function groupTitle(by: SlowlogReport['groupBy']): string {
  return {command: 'Command', pattern: 'Pattern', node: 'Node', client: 'Client'}[by]
}

function client(entry: TimelineEntry): string {
  return entry.clientName ? `${entry.clientName} ${entry.clientAddr}` : entry.clientAddr || '-'
}

/** "2025-05-01 10:11:12Z": ISO without the T and the milliseconds. */
function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')
}
