import type {SkippedCheck} from '../evidence/types.js'
import type {Finding} from '../findings/types.js'
import type {ServerIdentity} from '../parse/server.js'
import {RCDIAG_VERSION, SCHEMA_VERSION} from '../shared/version.js'
import type {ClientModel, IdleFailureMode, ReplaySettings, RunResult} from './types.js'

/** The replay's JSON document (schemas/replay.schema.json). */
export interface ReplayReport {
  schemaVersion: number
  command: 'replay'
  rcdiagVersion: string
  generatedAt: string
  target: string
  durationMs: number
  /** stopped by Ctrl-C / SIGTERM: a partial report */
  interrupted: boolean
  /** --duration was reached before every model had run its whole schedule: a normal end */
  durationReached: boolean
  settings: ReplaySettings
  cluster: {masters: number; replicas: number; serverTimeoutSec: number | null; tcpKeepaliveSec: number | null}
  /** --nat-map rules (FROM=TO) every connection of the run went through, rcdiag's and every model's; [] when none */
  natMap: string[]
  /** every server version seen, most nodes first */
  servers: Array<ServerIdentity & {nodes: number}>
  /** what the servers could not tell (their version) or refused, grouped, with the nodes concerned */
  skipped: Array<SkippedCheck & {nodes: string[]}>
  keys: KeysReport
  runs: RunResult[]
  comparison: ComparisonRow[]
  findings: Finding[]
}

export interface KeysReport {
  mode: 'created' | 'sampled'
  /** created keys: the run's random token and the exact prefix of its keys (`${settings.prefix}${runId}:`) */
  runId?: string
  prefix?: string
  count: number
  fields: number
  removed: boolean
  /** keys of this run still there after cleanup; null when it could not be checked (see cleanupError) */
  remaining: number | null
  cleanupError?: string
}

export interface ComparisonRow {
  client: ClientModel
  /** null when the phase did not run (e.g. --duration reached first) */
  postIdleP99Ms: number | null
  steadyP99Ms: number | null
  /** post-idle p99 / steady p99; null unless both ran */
  spike: number | null
  firstOpP99Ms: number | null
  refreshesPerGap: number
  stampedeFactor: number
  reconnects: number
  errors: number
  idleFailure: IdleFailureMode
}

export function comparisonOf(runs: RunResult[]): ComparisonRow[] {
  return runs.map((run) => {
    const post = run.merged['post-idle']
    const steady = run.merged.steady
    return {
      client: run.client,
      // a phase that never ran has no latency: null, not a 0 that looks measured
      postIdleP99Ms: post.ops > 0 ? post.latencyMs.p99 : null,
      steadyP99Ms: steady.ops > 0 ? steady.latencyMs.p99 : null,
      spike:
        post.ops > 0 && steady.ops > 0 && steady.latencyMs.p99 > 0
          ? Math.round((post.latencyMs.p99 / steady.latencyMs.p99) * 10) / 10
          : null,
      firstOpP99Ms: post.ops > 0 ? post.firstOpLatencyMs.p99 : null,
      refreshesPerGap: run.refreshesPerGap,
      stampedeFactor: run.stampedeFactor,
      reconnects: post.reconnects,
      errors: run.phases.reduce((sum, p) => sum + p.errors, 0),
      idleFailure: run.idleFailure,
    }
  })
}

export function buildReplayReport(
  input: Omit<ReplayReport, 'schemaVersion' | 'command' | 'rcdiagVersion' | 'generatedAt' | 'comparison'>,
): ReplayReport {
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'replay',
    rcdiagVersion: RCDIAG_VERSION,
    generatedAt: new Date().toISOString(),
    ...input,
    comparison: comparisonOf(input.runs),
  }
}
