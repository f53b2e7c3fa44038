import type {ReplayRunEvidence} from './evidence.js'
import {decode, encode, newHistogram, summarize} from './histogram.js'
import type {ClientModel, IdleFailureMode, PhaseName, PhaseResult, RunResult} from './types.js'

const PHASES: PhaseName[] = ['warmup', 'post-idle', 'steady']

/** All cycles of one phase name merged: histograms added, counters summed, maxima kept. */
export function mergePhases(phases: PhaseResult[], firstOps: Map<PhaseResult, string>): RunResult['merged'] {
  const merged = {} as RunResult['merged']
  for (const name of PHASES) {
    const list = phases.filter((p) => p.name === name)
    const histogram = newHistogram()
    const first = newHistogram()
    for (const p of list) {
      histogram.add(decode(p.histogram))
      const f = firstOps.get(p)
      if (f) first.add(decode(f))
    }
    const sum = (pick: (p: PhaseResult) => number) => list.reduce((total, p) => total + pick(p), 0)
    merged[name] = {
      name,
      phases: list.length,
      durationMs: sum((p) => p.durationMs),
      ops: sum((p) => p.ops),
      errors: sum((p) => p.errors),
      latencyMs: summarize(histogram),
      firstOpLatencyMs: summarize(first),
      reconnects: sum((p) => p.reconnects),
      refreshConnects: sum((p) => p.refreshConnects ?? 0),
      connectionErrors: sum((p) => p.connectionErrors),
      closedConnectionErrors: sum((p) => p.closedConnectionErrors),
      timeouts: sum((p) => p.timeouts),
      moved: sum((p) => p.moved),
      ask: sum((p) => p.ask),
      refreshes: sum((p) => p.refreshes),
      refreshMsTotal: Math.round(sum((p) => p.refreshMsTotal) * 10) / 10,
      maxConcurrentRefreshes: Math.max(0, ...list.map((p) => p.maxConcurrentRefreshes)),
      opsWithReconnect: sum((p) => p.opsWithReconnect),
      opsWithRefresh: sum((p) => p.opsWithRefresh),
      opsWithRedirect: sum((p) => p.opsWithRedirect),
      eventLoopDelayP99Ms: Math.max(0, ...list.map((p) => p.eventLoopDelayP99Ms)),
      histogram: encode(histogram),
    }
  }
  return merged
}

export function idleFailureOf(phases: PhaseResult[]): IdleFailureMode {
  const postIdle = phases.filter((p) => p.name === 'post-idle')
  if (postIdle.some((p) => p.closedConnectionErrors > 0 || (p.gap?.closedByServer ?? 0) > 0)) return 'closed-by-server'
  if (postIdle.some((p) => p.timeouts > 0)) return 'hung-until-timeout'
  return 'none'
}

export function buildRun(
  client: ClientModel,
  connectionName: string,
  phases: PhaseResult[],
  firstOps: Map<PhaseResult, string>,
  end: {interrupted: boolean; durationReached: boolean},
): RunResult {
  const postIdle = phases.filter((p) => p.name === 'post-idle')
  return {
    client,
    connectionName,
    phases,
    merged: mergePhases(phases, firstOps),
    idleFailure: idleFailureOf(phases),
    refreshesPerGap: postIdle.length > 0 ? Math.round((postIdle.reduce((s, p) => s + p.refreshes, 0) / postIdle.length) * 100) / 100 : 0,
    stampedeFactor: Math.max(0, ...postIdle.map((p) => p.maxConcurrentRefreshes)),
    interrupted: end.interrupted,
    durationReached: end.durationReached,
  }
}

/**
 * What the rules compare, from one run. Phases a stalled node ended early are left out of the
 * comparison (their latency is the stall's, which `stalls` reports) when `firstOps` is given to
 * merge the others again.
 */
export function runEvidence(run: RunResult, firstOps?: Map<PhaseResult, string>): ReplayRunEvidence {
  const stalls = run.phases.flatMap((p) =>
    p.endedEarly
      ? [{node: p.endedEarly.node, phase: p.name, cycle: p.cycle, silentMs: p.endedEarly.silentMs, timeouts: p.endedEarly.timeouts}]
      : [],
  )
  if (stalls.length > 0 && firstOps) {
    const clean = run.phases.filter((p) => !p.endedEarly)
    return {...comparable({...run, phases: clean, merged: mergePhases(clean, firstOps)}), stalls}
  }
  return {...comparable(run), stalls}
}

function comparable(run: RunResult): Omit<ReplayRunEvidence, 'stalls'> {
  const post = run.merged['post-idle']
  const steady = run.merged.steady
  const postPhases = run.phases.filter((p) => p.name === 'post-idle')
  const steadyPhases = run.phases.filter((p) => p.name === 'steady')
  const serverSum = (list: PhaseResult[], pick: (s: NonNullable<PhaseResult['server']>) => number) =>
    list.reduce((total, p) => total + (p.server ? pick(p.server) : 0), 0)
  const hmgetCalls = serverSum(steadyPhases, (s) => s.hmgetCalls)
  const hmgetUsec = serverSum(steadyPhases, (s) => (s.hmgetUsecPerCall ?? 0) * s.hmgetCalls)
  const p99s = run.phases.map((p) => p.server?.hmgetP99Usec).filter((v): v is number => typeof v === 'number')
  return {
    client: run.client,
    postIdle: {
      ops: post.ops,
      p50Ms: post.latencyMs.p50,
      p99Ms: post.latencyMs.p99,
      firstOpP99Ms: post.firstOpLatencyMs.p99,
      reconnects: post.reconnects,
      connectionErrors: post.connectionErrors,
      refreshes: post.refreshes,
      maxConcurrentRefreshes: post.maxConcurrentRefreshes,
      closedByServerDuringGaps: postPhases.reduce((s, p) => s + (p.gap?.closedByServer ?? 0), 0),
      serverTopologyCalls: serverSum(postPhases, (s) => s.topologyCalls),
      serverConfigGetCalls: serverSum(postPhases, (s) => s.configGetCalls),
      serverNewConnections: serverSum(postPhases, (s) => s.newConnections),
      serverMoved: postPhases.some((p) => p.server && p.server.moved === null) ? null : serverSum(postPhases, (s) => s.moved ?? 0),
      eventLoopDelayP99Ms: post.eventLoopDelayP99Ms,
    },
    steady: {
      ops: steady.ops,
      p50Ms: steady.latencyMs.p50,
      p99Ms: steady.latencyMs.p99,
      refreshes: steady.refreshes,
      eventLoopDelayP99Ms: steady.eventLoopDelayP99Ms,
    },
    refreshesPerGap: run.refreshesPerGap,
    stampedeFactor: run.stampedeFactor,
    idleFailure: run.idleFailure,
    serverHmgetMeanMs: hmgetCalls > 0 ? Math.round(hmgetUsec / hmgetCalls) / 1000 : null,
    serverHmgetP99Ms: p99s.length > 0 ? Math.max(...p99s) / 1000 : null,
  }
}
