/** Shapes of a replay: settings in, per-model runs out. The JSON report is built from these. */

export const CLIENT_MODELS = ['ioredis', 'refresh-on-error', 'single-flight'] as const
export type ClientModel = (typeof CLIENT_MODELS)[number]

export type PhaseName = 'warmup' | 'post-idle' | 'steady'

export interface ReplaySettings {
  concurrency: number
  fields: number
  /** hashes to create (or to sample with --keys-from) */
  keys: number
  prefix: string
  /** replay read-only against existing hashes matching this pattern */
  keysFrom?: string
  idleMs: number
  cycles: number
  steadyBursts: number
  /** ops per worker per burst */
  burst: number
  /** pause between steady bursts */
  steadyPauseMs: number
  /** overall ops/s cap, 0 = none */
  rate: number
  /** bound on the whole replay (all models), 0 = none */
  durationMs: number
  clients: ClientModel[]
  /** TTL of created keys, seconds */
  keyTtlSec: number
  cleanup: boolean
}

export interface LatencySummaryMs {
  p50: number
  p90: number
  p99: number
  p999: number
  max: number
  mean: number
}

/** What the server saw during a phase (all nodes summed), rcdiag's own snapshot traffic subtracted. */
export interface ServerPhaseDelta {
  newConnections: number
  /** CLUSTER SLOTS + SHARDS + NODES; before Redis 7 every CLUSTER call (all that server counts), rcdiag's own subtracted */
  topologyCalls: number
  /** CLUSTER SLOTS alone; null before Redis 7, which counts CLUSTER calls only as a whole (see topologyCalls) */
  clusterSlotsCalls: number | null
  configGetCalls: number
  /** MOVED/ASK replies (INFO errorstats); null before Redis 6.2, which does not count them */
  moved: number | null
  ask: number | null
  hmgetCalls: number
  /** mean server-side HMGET time during the phase, from commandstats deltas */
  hmgetUsecPerCall: number | null
  /** server-side HMGET p99 (latencystats, cumulative since server start; null before Redis 7) */
  hmgetP99Usec: number | null
}

export interface GapObservation {
  durationMs: number
  /** the workload's own connections (by client name) open on the servers before and after the gap */
  workloadConnectionsBefore: number
  workloadConnectionsAfter: number
  closedByServer: number
}

export interface PhaseResult {
  name: PhaseName
  cycle: number
  durationMs: number
  ops: number
  errors: number
  latencyMs: LatencySummaryMs
  /** the first operation of each worker in this phase (after a gap, the ones that pay) */
  firstOpLatencyMs: LatencySummaryMs
  /** new connections of the workload itself (a pooled connection opened or reopened) */
  reconnects: number
  /** new connections made only to re-read the slot map (one per CLUSTER SLOTS call for every model) */
  refreshConnects: number
  connectionErrors: number
  /** connection errors that failed fast: the server had closed the connection */
  closedConnectionErrors: number
  timeouts: number
  /** MOVED/ASK seen by the client; the ioredis model cannot see them (ioredis follows them inside): see server.moved */
  moved: number
  ask: number
  refreshes: number
  refreshMsTotal: number
  maxConcurrentRefreshes: number
  opsWithReconnect: number
  opsWithRefresh: number
  opsWithRedirect: number
  /** rcdiag's own event-loop delay p99 during the phase: noise made by the tool itself */
  eventLoopDelayP99Ms: number
  /** HDR histogram of op latency in microseconds, compressed base64 (mergeable) */
  histogram: string
  server: ServerPhaseDelta | null
  gap?: GapObservation
  /** the phase ended before its operations were done: a node answered nothing for `silentMs` */
  endedEarly?: {reason: 'stalled'; node: string; silentMs: number; timeouts: number}
}

export type IdleFailureMode = 'closed-by-server' | 'hung-until-timeout' | 'none'

export interface RunResult {
  client: ClientModel
  connectionName: string
  phases: PhaseResult[]
  /** per phase name, all cycles merged */
  merged: Record<PhaseName, Omit<PhaseResult, 'cycle' | 'gap' | 'server'> & {phases: number}>
  idleFailure: IdleFailureMode
  /** post-idle refreshes per gap (mean over cycles) */
  refreshesPerGap: number
  /** most refreshes running at once after a gap */
  stampedeFactor: number
  /** stopped by Ctrl-C / SIGTERM before its schedule was done */
  interrupted: boolean
  /** cut short by --duration (a normal end: the run was asked to be that long) */
  durationReached: boolean
  /** the model could not start (a node answered nothing): why; no phases then */
  failed?: string
}

/** Per-operation attribution the models report into the current phase. */
export interface OpContext {
  reconnects: number
  connectionErrors: number
  closedConnectionErrors: number
  timeouts: number
  moved: number
  ask: number
  refreshes: number
}

export type NoteKind = 'reconnect' | 'refresh-connect' | 'moved' | 'ask' | 'timeout' | 'closed'

/** Where models report what happened; the scheduler points it at the current phase. */
export interface ModelEvents {
  refreshStarted(): void
  refreshEnded(ms: number): void
  /** things a model only learns outside an operation (e.g. from ioredis's diagnostics channels) */
  note(kind: NoteKind): void
}

/** A client behaviour: routing and recovery policy over ioredis connections. */
export interface ClientModelRunner {
  readonly name: ClientModel
  /** CLIENT SETNAME of the workload's connections, so the server side can be counted */
  readonly connectionName: string
  start(events: ModelEvents): Promise<void>
  /** One HMGET for `worker`; resolves true on success, false on a final error. Never throws. */
  hmget(worker: number, key: string, fields: string[], ctx: OpContext): Promise<boolean>
  close(): Promise<void>
}
