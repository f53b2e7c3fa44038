import {monitorEventLoopDelay, type IntervalHistogram} from 'node:perf_hooks'

import {encode, newHistogram, recordMicros, summarize, type LatencyHistogram} from './histogram.js'
import type {GapObservation, ModelEvents, NoteKind, OpContext, PhaseName, PhaseResult, ServerPhaseDelta} from './types.js'

const LOOP_RESOLUTION_MS = 10

export const emptyOpContext = (): OpContext => ({
  reconnects: 0,
  connectionErrors: 0,
  closedConnectionErrors: 0,
  timeouts: 0,
  moved: 0,
  ask: 0,
  refreshes: 0,
})

/** Everything measured during one phase of one model's run. */
export class PhaseRecorder implements ModelEvents {
  readonly histogram: LatencyHistogram = newHistogram()
  readonly firstOps: LatencyHistogram = newHistogram()
  private readonly seenWorkers = new Set<number>()
  private readonly totals = emptyOpContext()
  private readonly started = performance.now()
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({resolution: LOOP_RESOLUTION_MS})
  private ops = 0
  private errors = 0
  private opsWithReconnect = 0
  private opsWithRefresh = 0
  private opsWithRedirect = 0
  private refreshes = 0
  private refreshConnects = 0
  private refreshMsTotal = 0
  private running = 0
  private maxRunning = 0
  private finishedMs?: number

  constructor(
    readonly name: PhaseName,
    readonly cycle: number,
  ) {
    this.loopDelay.enable()
  }

  record(worker: number, micros: number, ok: boolean, ctx: OpContext): void {
    this.ops++
    if (!ok) this.errors++
    recordMicros(this.histogram, micros)
    if (!this.seenWorkers.has(worker)) {
      this.seenWorkers.add(worker)
      recordMicros(this.firstOps, micros)
    }
    for (const key of Object.keys(ctx) as Array<keyof OpContext>) if (key !== 'refreshes') this.totals[key] += ctx[key]
    if (ctx.reconnects > 0) this.opsWithReconnect++
    if (ctx.refreshes > 0) this.opsWithRefresh++
    if (ctx.moved + ctx.ask > 0) this.opsWithRedirect++
  }

  refreshStarted(): void {
    this.refreshes++
    this.running++
    this.maxRunning = Math.max(this.maxRunning, this.running)
  }

  refreshEnded(ms: number): void {
    this.running = Math.max(0, this.running - 1)
    this.refreshMsTotal += ms
  }

  note(kind: NoteKind): void {
    if (kind === 'reconnect') this.totals.reconnects++
    else if (kind === 'refresh-connect') this.refreshConnects++
    else if (kind === 'moved') this.totals.moved++
    else if (kind === 'ask') this.totals.ask++
    else if (kind === 'timeout') this.totals.timeouts++
    else this.totals.closedConnectionErrors++
  }

  /** The sampler's own interval is part of every sample (an idle loop reads ~10 ms): take it off. */
  private eventLoopDelayP99Ms(): number {
    if (this.loopDelay.count === 0) return 0
    return Math.max(0, Math.round(this.loopDelay.percentile(99) / 1e4) / 100 - LOOP_RESOLUTION_MS)
  }

  /** A running tally for per-second progress events; does not stop anything. */
  progress(): {elapsedMs: number; ops: number; errors: number; p99Ms: number; refreshes: number} {
    return {
      elapsedMs: Math.round(performance.now() - this.started),
      ops: this.ops,
      errors: this.errors,
      p99Ms: this.ops > 0 ? this.histogram.getValueAtPercentile(99) / 1000 : 0,
      refreshes: this.refreshes,
    }
  }

  /** Stops the clock; server deltas are attached afterwards. */
  stop(): void {
    this.finishedMs ??= performance.now() - this.started
    this.loopDelay.disable()
  }

  result(server: ServerPhaseDelta | null, gap?: GapObservation): PhaseResult {
    this.stop()
    const result: PhaseResult = {
      name: this.name,
      cycle: this.cycle,
      durationMs: Math.round(this.finishedMs ?? 0),
      ops: this.ops,
      errors: this.errors,
      latencyMs: summarize(this.histogram),
      firstOpLatencyMs: summarize(this.firstOps),
      reconnects: this.totals.reconnects,
      refreshConnects: this.refreshConnects,
      connectionErrors: this.totals.connectionErrors,
      closedConnectionErrors: this.totals.closedConnectionErrors,
      timeouts: this.totals.timeouts,
      moved: this.totals.moved,
      ask: this.totals.ask,
      refreshes: this.refreshes,
      refreshMsTotal: Math.round(this.refreshMsTotal * 10) / 10,
      maxConcurrentRefreshes: this.maxRunning,
      opsWithReconnect: this.opsWithReconnect,
      opsWithRefresh: this.opsWithRefresh,
      opsWithRedirect: this.opsWithRedirect,
      eventLoopDelayP99Ms: this.eventLoopDelayP99Ms(),
      histogram: encode(this.histogram),
      server,
    }
    if (gap) result.gap = gap
    return result
  }
}
