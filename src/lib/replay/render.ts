import {headline, renderFindings} from '../render/findings.js'
import {serversText, skippedLines} from '../render/summaries.js'
import {makeTable} from '../render/table.js'
import type {ReplayReport} from './report.js'
import type {PhaseResult, ReplaySettings, RunResult} from './types.js'

/** The human report: pure function of the JSON document. */
export function renderReplay(report: ReplayReport): string {
  const parts = [summaryLine(report), headline(report.findings, 'replay')]
  for (const run of report.runs) parts.push(runTable(run))
  const notRun = report.settings.clients.filter((client) => !report.runs.some((run) => run.client === client))
  if (notRun.length > 0 && !report.interrupted && report.durationReached) {
    parts.push(`Not run (--duration reached first): ${notRun.join(', ')}`)
  }
  if (report.runs.length > 0) parts.push(comparisonTable(report))
  if (report.skipped.length > 0) parts.push(skippedLines(report.skipped))
  const note = modelsNote(report)
  if (note) parts.push(note)
  parts.push(keysLine(report))
  parts.push(renderFindings(report.findings))
  return parts.join('\n\n') + '\n'
}

function summaryLine(report: ReplayReport): string {
  const s = report.settings
  const timeout = report.cluster.serverTimeoutSec === null ? 'unknown' : `${report.cluster.serverTimeoutSec} s`
  const interrupted = report.interrupted
    ? ' INTERRUPTED (partial report)'
    : report.durationReached
      ? `, stopped at --duration ${report.settings.durationMs / 1000} s as asked`
      : ''
  const servers = serversText(report.servers)
  return (
    `rcdiag replay ${report.target}: ${servers ? `${servers}, ` : ''}${report.cluster.masters} masters, server timeout ${timeout}; ` +
    `${s.concurrency} workers x HMGET ${s.fields} fields, bursts of ${s.burst} ops/worker, idle gap ${s.idleMs / 1000} s x ${s.cycles} cycles, ` +
    `${(report.durationMs / 1000).toFixed(1)} s${interrupted}` +
    (report.natMap.length > 0 ? `\n--nat-map ${report.natMap.join(', ')}: every model's connections go through it` : '')
  )
}

function runTable(run: RunResult): string {
  if (run.failed) return `Client model: ${run.client}: did not start: ${run.failed}`
  const table = makeTable([
    'Phase',
    'Cycle',
    'Ops',
    'Err',
    'p50 ms',
    'p99 ms',
    'max ms',
    '1st op p99',
    'Reconn',
    'MOVED cli/srv',
    'Refresh',
    'Max at once',
    'Srv slots calls',
    'Srv new conn',
    'Closed in gap',
  ])
  for (const p of run.phases) table.push(phaseRow(p, run.client))
  const idle =
    run.idleFailure === 'closed-by-server'
      ? 'idle connections were closed by the server (failed fast)'
      : run.idleFailure === 'hung-until-timeout'
        ? 'idle connections hung until the command timeout (dropped silently on the way)'
        : 'no idle connection failed'
  const state = run.interrupted ? ' (interrupted)' : run.durationReached ? ' (stopped at --duration)' : ''
  const early = run.phases
    .filter((p) => p.endedEarly)
    .map(
      (p) =>
        `\n${p.name}${p.cycle ? ` cycle ${p.cycle}` : ''} ended early: ${p.endedEarly!.node} answered nothing for at least ` +
        `${(p.endedEarly!.silentMs / 1000).toFixed(1)} s (${p.endedEarly!.timeouts} operations got no reply); going on would only repeat that`,
    )
  return `Client model: ${run.client}${state}; ${idle}\n${table.toString()}${early.join('')}`
}

/**
 * MOVED as the client saw it / as the servers counted it (errorstats delta, every client). ioredis
 * follows redirects inside the library, so its client-side count is not observable: "-".
 */
function movedCell(p: PhaseResult, client: RunResult['client']): string {
  return `${client === 'ioredis' ? '-' : p.moved}/${p.server?.moved ?? 'n/a'}`
}

function phaseRow(p: PhaseResult, client: RunResult['client']): Array<string | number> {
  // a phase without one completed operation (ended at once by a stall or the deadline) has no latency
  const ms = (value: number) => (p.ops > 0 ? value.toFixed(2) : '-')
  return [
    p.name,
    p.cycle || '-',
    p.ops,
    p.errors,
    ms(p.latencyMs.p50),
    ms(p.latencyMs.p99),
    ms(p.latencyMs.max),
    ms(p.firstOpLatencyMs.p99),
    p.reconnects,
    movedCell(p, client),
    p.refreshes,
    p.maxConcurrentRefreshes,
    p.server?.clusterSlotsCalls ?? 'n/a',
    p.server?.newConnections ?? 'n/a',
    p.gap ? `${p.gap.closedByServer}/${p.gap.workloadConnectionsBefore}` : '-',
  ]
}

function comparisonTable(report: ReplayReport): string {
  const table = makeTable([
    'Client model',
    'post-idle p99 ms',
    'steady p99 ms',
    'spike',
    'refreshes/gap',
    'stampede',
    'reconnects',
    'errors',
  ])
  for (const row of report.comparison) {
    table.push([
      row.client,
      row.postIdleP99Ms === null ? '-' : row.postIdleP99Ms.toFixed(2),
      row.steadyP99Ms === null ? '-' : row.steadyP99Ms.toFixed(2),
      row.spike === null ? '-' : `${row.spike}x`,
      row.refreshesPerGap,
      row.stampedeFactor,
      row.reconnects,
      row.errors,
    ])
  }
  return `Side by side (all cycles merged)\n${table.toString()}`
}

function keysLine(report: ReplayReport): string {
  const k = report.keys
  const ttl = report.settings.keyTtlSec
  if (k.mode === 'sampled') return `Keys: ${k.count} existing hashes sampled read-only (--keys-from), nothing written.`
  if (k.count === 0 || !k.prefix) return 'Keys: none created (interrupted before creating them).'
  const what = `Keys: ${k.count} hashes under ${k.prefix} (run ${k.runId})`
  if (!k.removed) return `${what} kept (--no-cleanup); they expire in ${ttl} s.`
  if (k.remaining === null) return `${what} created with a ${ttl} s TTL; removal not confirmed: ${k.cleanupError ?? 'unknown'}.`
  return `${what} created with a ${ttl} s TTL and removed; ${k.remaining} remain.`
}

/**
 * Without the refresh-on-error model a quiet replay says nothing about the incident's kind of
 * client (ioredis' defaults reconnect without a stampede): say which model would show it.
 */
function modelsNote(report: ReplayReport): string | undefined {
  if (report.settings.clients.includes('refresh-on-error')) return undefined
  return (
    `Models run: ${report.settings.clients.join(', ')}. ioredis' defaults reconnect without a slot-map stampede, so a quiet result here does ` +
    'not clear a client that refreshes on every error (redis-py-cluster 2.x and alike): `--client refresh-on-error --client single-flight` ' +
    'replays that client and the fix side by side.'
  )
}

/** What the replay will do and about how long it takes: said before it starts (on a terminal). */
export function renderPlan(settings: ReplaySettings, estimateMs: number): string {
  const minutes = estimateMs / 60_000
  const about = minutes >= 2 ? `${Math.round(minutes)} min` : `${Math.ceil(estimateMs / 1000)} s`
  const models = `${settings.clients.length} model${settings.clients.length === 1 ? '' : 's'} (${settings.clients.join(', ')})`
  const cycles = `${settings.cycles} cycle${settings.cycles === 1 ? '' : 's'} of a ${settings.idleMs / 1000} s idle gap and bursts`
  return `rcdiag: plan: ${models}, each a warm-up then ${cycles}: about ${about}${settings.durationMs > 0 ? ' (--duration caps it)' : ''}; Ctrl-C stops early with a partial report`
}
