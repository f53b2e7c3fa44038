import type {CollectedNode} from '../redis/snapshot-types.js'
import {encode} from './histogram.js'
import type {Keyspace} from './keys.js'
import {emptyOpContext, PhaseRecorder} from './recorder.js'
import {ServerWatch} from './server-watch.js'
import type {ClientModelRunner, ModelEvents, PhaseName, PhaseResult, ReplaySettings} from './types.js'

export interface ScheduleHooks {
  signal?: AbortSignal
  /** absolute deadline (performance.now() based) for the whole replay; undefined = none */
  deadline?: number
  /** human progress, e.g. the countdown during a gap */
  onProgress?: (text: string) => void
  /** machine events (NDJSON) */
  onEvent?: (event: Record<string, unknown>) => void
}

/** Paces operations across all workers to at most `rate` per second; an abort ends the wait. */
class Pacer {
  private next = performance.now()
  constructor(
    private readonly rate: number,
    private readonly hooks: ScheduleHooks,
  ) {}
  async take(): Promise<void> {
    if (this.rate <= 0) return
    const now = performance.now()
    this.next = Math.max(this.next, now) + 1000 / this.rate
    const wait = this.next - 1000 / this.rate - now
    if (wait > 1) await sleepUnlessStopped(wait, this.hooks)
  }
}

/**
 * One model through the whole schedule: warm-up burst, then per cycle an idle gap (nothing sent on
 * the workload's connections), the post-idle burst and the steady bursts. Server counters are read
 * between phases. Stops early, cleanly, on abort or at the deadline.
 */
export async function runSchedule(
  model: ClientModelRunner,
  keyspace: Keyspace,
  settings: ReplaySettings,
  watch: ServerWatch,
  hooks: ScheduleHooks,
): Promise<{phases: PhaseResult[]; firstOps: Map<PhaseResult, string>; interrupted: boolean}> {
  let current: PhaseRecorder | undefined
  const events: ModelEvents = {
    refreshStarted: () => current?.refreshStarted(),
    refreshEnded: (ms) => current?.refreshEnded(ms),
    note: (kind) => current?.note(kind),
  }
  const pacer = new Pacer(settings.rate, hooks)
  const phases: PhaseResult[] = []
  const firstOps = new Map<PhaseResult, string>()
  const stopped = () => Boolean(hooks.signal?.aborted) || (hooks.deadline !== undefined && performance.now() >= hooks.deadline)
  const progress = hooks.onProgress ?? (() => {})

  // An abort ends a burst at once; operations still in flight are ended by the model's close().
  const burst = async (recorder: PhaseRecorder) => {
    const workers = Array.from({length: settings.concurrency}, async (_, worker) => {
      for (let i = 0; i < settings.burst && !stopped(); i++) {
        await pacer.take()
        const key = keyspace.keys[Math.floor(Math.random() * keyspace.keys.length)]
        const ctx = emptyOpContext()
        const started = performance.now()
        const ok = await model.hmget(worker, key, keyspace.fields, ctx)
        recorder.record(worker, (performance.now() - started) * 1000, ok, ctx)
      }
    })
    await untilAborted(Promise.all(workers), hooks.signal)
  }

  const phase = async (
    name: PhaseName,
    cycle: number,
    before: CollectedNode[],
    body: (r: PhaseRecorder) => Promise<void>,
    gap?: PhaseResult['gap'],
  ) => {
    current = new PhaseRecorder(name, cycle)
    progress(`${model.name}: ${name} burst${cycle ? ` (cycle ${cycle}/${settings.cycles})` : ''}`)
    const ticker = setInterval(
      () => hooks.onEvent?.({type: 'progress', client: model.name, phase: name, cycle, ...current?.progress()}),
      1000,
    )
    try {
      await body(current)
    } finally {
      clearInterval(ticker)
    }
    const recorder = current
    recorder.stop()
    current = undefined
    const after = await watch.snapshot()
    const result = recorder.result(ServerWatch.delta(before, after), gap)
    phases.push(result)
    firstOps.set(result, encode(recorder.firstOps))
    const {histogram: _omit, ...event} = result
    hooks.onEvent?.({type: 'phase', client: model.name, ...event})
    return after
  }

  await untilAborted(model.start(events), hooks.signal)
  if (hooks.signal?.aborted) return {phases, firstOps, interrupted: true}
  let snapshot = await watch.snapshot()
  snapshot = await phase('warmup', 0, snapshot, burst)

  for (let cycle = 1; cycle <= settings.cycles && !stopped(); cycle++) {
    const openBefore = ServerWatch.workloadConnections(snapshot, model.connectionName)
    const gapStarted = performance.now()
    await idle(settings.idleMs, hooks, (left) =>
      progress(`${model.name}: idle gap ${cycle}/${settings.cycles}, ${Math.ceil(left / 1000)}s left`),
    )
    if (stopped()) break
    const afterGap = await watch.snapshot()
    const openAfter = ServerWatch.workloadConnections(afterGap, model.connectionName)
    const gap = {
      durationMs: Math.round(performance.now() - gapStarted),
      workloadConnectionsBefore: openBefore,
      workloadConnectionsAfter: openAfter,
      closedByServer: Math.max(0, openBefore - openAfter),
    }
    snapshot = await phase('post-idle', cycle, afterGap, burst, gap)
    if (stopped()) break
    snapshot = await phase('steady', cycle, snapshot, async (recorder) => {
      for (let b = 0; b < settings.steadyBursts && !stopped(); b++) {
        if (b > 0) await sleepUnlessStopped(settings.steadyPauseMs, hooks)
        await burst(recorder)
      }
    })
  }
  return {phases, firstOps, interrupted: stopped()}
}

/** The gap: a countdown on the progress line, ended early by abort or the deadline. */
async function idle(ms: number, hooks: ScheduleHooks, tick: (leftMs: number) => void): Promise<void> {
  const end = Math.min(performance.now() + ms, hooks.deadline ?? Number.POSITIVE_INFINITY)
  while (performance.now() < end && !hooks.signal?.aborted) {
    tick(end - performance.now())
    await sleepUnlessStopped(Math.min(1000, end - performance.now()), hooks)
  }
}

/** Waits for `work`, or for the abort, whichever comes first; a later rejection of `work` is swallowed. */
export async function untilAborted(work: Promise<unknown>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) {
    await work
    return
  }
  let onAbort = () => {}
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve
    if (signal.aborted) resolve()
    else signal.addEventListener('abort', onAbort, {once: true})
  })
  try {
    await Promise.race([work, aborted])
  } finally {
    signal.removeEventListener('abort', onAbort)
    work.catch(() => {})
  }
}

function sleepUnlessStopped(ms: number, hooks: ScheduleHooks): Promise<void> {
  return new Promise((resolve) => {
    if (hooks.signal?.aborted || ms <= 0) return resolve()
    const done = () => {
      clearTimeout(timer)
      hooks.signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    hooks.signal?.addEventListener('abort', done, {once: true})
  })
}
