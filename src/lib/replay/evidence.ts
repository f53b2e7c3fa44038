/**
 * Replay evidence: one client model's replay reduced to what the rules compare. Produced by
 * summarize.ts (runEvidence), read by the findings. Pure types.
 */

/** One client model's replay, reduced to what the rules compare (all cycles merged). */
export interface ReplayRunEvidence {
  client: string
  postIdle: {
    ops: number
    p50Ms: number
    p99Ms: number
    /** the first operation of each worker after a gap */
    firstOpP99Ms: number
    reconnects: number
    connectionErrors: number
    refreshes: number
    maxConcurrentRefreshes: number
    /** the workload's connections the server closed during the gaps (CLIENT LIST by name), summed */
    closedByServerDuringGaps: number
    /** server side, summed over the post-idle phases */
    serverTopologyCalls: number
    serverConfigGetCalls: number
    serverNewConnections: number
    /** null when the servers cannot count MOVED replies (no INFO errorstats before Redis 6.2) */
    serverMoved: number | null
    /** rcdiag's own event-loop delay p99 during these phases: latency the tool added itself */
    eventLoopDelayP99Ms: number
  }
  steady: {ops: number; p50Ms: number; p99Ms: number; refreshes: number; eventLoopDelayP99Ms: number}
  /** post-idle refreshes per gap (mean over cycles) */
  refreshesPerGap: number
  /** most refreshes running at once after a gap */
  stampedeFactor: number
  idleFailure: 'closed-by-server' | 'hung-until-timeout' | 'none'
  /** server-side HMGET: mean over the steady phases (commandstats) and p99 (latencystats) */
  serverHmgetMeanMs: number | null
  serverHmgetP99Ms: number | null
  /** phases ended early because a node answered nothing (left out of the numbers above) */
  stalls: Array<{node: string; phase: 'warmup' | 'post-idle' | 'steady'; cycle: number; silentMs: number; timeouts: number}>
}

export interface ReplayEvidence {
  idleMs: number
  cycles: number
  concurrency: number
  runs: ReplayRunEvidence[]
}
