import {setMaxListeners} from 'node:events'

import type {CollectedNode} from '../redis/snapshot-types.js'
import {encode} from './histogram.js'
import type {Keyspace} from './keys.js'
import {emptyOpContext, PhaseRecorder} from './recorder.js'
import {ServerWatch} from './server-watch.js'
import {StallWatch, type Stall} from './stall.js'
import {slotOf} from '../redis/slot-table.js'
import type {ClientModelRunner, ModelEvents, PhaseName, PhaseResult, ReplaySettings} from './types.js'

export interface ScheduleHooks {
  signal?: AbortSignal
  /** absolute deadline (performance.now() based) for the whole replay; undefined = none */
  deadline?: number
  /** human progress, e.g. the countdown during a gap */
  onProgress?: (text: string) => void
  /** machine events (NDJSON) */
  onEvent?: (event: Record<string, unknown>) => void
  /** slot → master address (the slot map the replay started with): which node an operation's key is on */
  slots?: Array<string | undefined>
  /** how long a node may answer nothing before its phase ends early (StallWatch); 0 or undefined: never */
  stallAfterMs?: number
  /** the nodes among these that do not answer now (a PING on rcdiag's own connection): confirms a stall */
  silentNodes?: (nodes: string[]) => Promise<string[]>
}

/** Why a run stopped before its schedule was done: Ctrl-C, or --duration reached (a normal end). */
export interface ScheduleEnd {
  interrupted: boolean
  durationReached: boolean
}

/** Paces operations across all workers to at most `rate` per second; an abort ends the wait. */
class Pacer {
  private next = performance.now()
  constructor(
    private readonly rate: number,
    private readonly hooks: ScheduleHooks,
  ) {}
  async take(signal?: AbortSignal): Promise<void> {
    if (this.rate <= 0) return
    const now = performance.now()
    this.next = Math.max(this.next, now) + 1000 / this.rate
    const wait = this.next - 1000 / this.rate - now
    if (wait > 1) await sleepUnlessStopped(wait, signal ?? this.hooks.signal)
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
): Promise<{phases: PhaseResult[]; firstOps: Map<PhaseResult, string>} & ScheduleEnd> {
  let current: PhaseRecorder | undefined
  const events: ModelEvents = {
    refreshStarted: () => current?.refreshStarted(),
    refreshEnded: (ms) => current?.refreshEnded(ms),
    note: (kind) => current?.note(kind),
  }
  const pacer = new Pacer(settings.rate, hooks)
  const phases: PhaseResult[] = []
  const firstOps = new Map<PhaseResult, string>()
  const aborted = () => Boolean(hooks.signal?.aborted)
  const pastDeadline = () => hooks.deadline !== undefined && performance.now() >= hooks.deadline
  const stopped = () => aborted() || pastDeadline()
  const progress = hooks.onProgress ?? (() => {})
  const nodeOf = (key: string) => hooks.slots?.[slotOf(key)]

  // A burst ends at once when its phase ends (abort, deadline, a stalled node); operations still in
  // flight then belong to no phase and are ended by the model's close().
  const burst = async (recorder: PhaseRecorder, end: PhaseEnd) => {
    const workers = Array.from({length: settings.concurrency}, async (_, worker) => {
      for (let i = 0; i < settings.burst && !end.signal.aborted; i++) {
        await pacer.take(end.signal)
        // the phase may have ended while this worker waited for its turn
        if (end.signal.aborted) break
        const key = keyspace.keys[Math.floor(Math.random() * keyspace.keys.length)]
        const ctx = emptyOpContext()
        const node = nodeOf(key)
        const started = performance.now()
        end.stallWatch.started(node, started)
        const ok = await model.hmget(worker, key, keyspace.fields, ctx)
        if (end.signal.aborted) break
        const now = performance.now()
        recorder.record(worker, (now - started) * 1000, ok, ctx)
        end.stallWatch.ended(node, started, ok, ctx, now)
      }
    })
    await untilAborted(Promise.all(workers), end.signal)
  }

  const phase = async (
    name: PhaseName,
    cycle: number,
    before: CollectedNode[],
    body: (r: PhaseRecorder, end: PhaseEnd) => Promise<void>,
    gap?: PhaseResult['gap'],
  ) => {
    current = new PhaseRecorder(name, cycle)
    const end = new PhaseEnd(hooks)
    progress(`${model.name}: ${name} burst${cycle ? ` (cycle ${cycle}/${settings.cycles})` : ''}`)
    const ticker = setInterval(
      () => hooks.onEvent?.({type: 'progress', client: model.name, phase: name, cycle, ...current?.progress()}),
      1000,
    )
    try {
      await body(current, end)
    } finally {
      clearInterval(ticker)
      end.dispose()
    }
    const recorder = current
    recorder.stop()
    current = undefined
    // Past the deadline the server counters are not read again: --duration leaves that time to cleanup.
    // disposed in the finally above: a stall confirmed from here on belongs to no phase
    const stall = end.stall
    const skipRead = pastDeadline()
    const after = skipRead ? before : await watch.snapshot()
    // no second read, no server counts: unknown (null), not zeros that look measured
    const result = recorder.result(skipRead ? null : ServerWatch.delta(before, after), gap)
    if (stall) result.endedEarly = {reason: 'stalled', ...stall}
    phases.push(result)
    firstOps.set(result, encode(recorder.firstOps))
    const {histogram: _omit, ...event} = result
    hooks.onEvent?.({type: 'phase', client: model.name, ...event})
    return after
  }

  const ended = (): ScheduleEnd => ({interrupted: aborted(), durationReached: !aborted() && pastDeadline()})
  await untilAborted(model.start(events), hooks.signal)
  if (stopped()) return {phases, firstOps, ...ended()}
  let snapshot = await watch.snapshot()
  snapshot = await phase('warmup', 0, snapshot, burst)

  for (let cycle = 1; cycle <= settings.cycles && !stopped(); cycle++) {
    const beforeGap = snapshot
    const gapStarted = performance.now()
    await idle(settings.idleMs, hooks, (left) =>
      progress(`${model.name}: idle gap ${cycle}/${settings.cycles}, ${Math.ceil(left / 1000)}s left`),
    )
    if (stopped()) break
    const afterGap = await watch.snapshot()
    const open = ServerWatch.workloadConnections(beforeGap, afterGap, model.connectionName)
    const gap = {
      durationMs: Math.round(performance.now() - gapStarted),
      workloadConnectionsBefore: open.before,
      workloadConnectionsAfter: open.after,
      closedByServer: Math.max(0, open.before - open.after),
    }
    snapshot = await phase('post-idle', cycle, afterGap, burst, gap)
    if (stopped()) break
    snapshot = await phase('steady', cycle, snapshot, async (recorder, end) => {
      for (let b = 0; b < settings.steadyBursts && !end.signal.aborted; b++) {
        if (b > 0) await sleepUnlessStopped(settings.steadyPauseMs, end.signal)
        await burst(recorder, end)
      }
    })
  }
  return {phases, firstOps, ...ended()}
}

/**
 * When one phase ends: on abort (Ctrl-C), at the run's deadline (--duration), or as soon as a node
 * has stalled (StallWatch): a phase that waits on a stopped node only repeats the same timeout.
 */
class PhaseEnd {
  readonly stallWatch: StallWatch
  stall?: Stall
  private readonly controller = new AbortController()
  private readonly timer?: NodeJS.Timeout
  /** operations still waiting count too: looked at 4 times a second, not only when one completes */
  private readonly stallTimer?: NodeJS.Timeout
  private readonly onAbort = () => this.controller.abort()

  constructor(private readonly hooks: ScheduleHooks) {
    this.stallWatch = new StallWatch(
      hooks.stallAfterMs && hooks.stallAfterMs > 0 ? hooks.stallAfterMs : Number.POSITIVE_INFINITY,
      (stall) => void this.confirm(stall),
    )
    setMaxListeners(0, this.controller.signal)
    if (hooks.signal?.aborted) this.controller.abort()
    hooks.signal?.addEventListener('abort', this.onAbort, {once: true})
    if (hooks.deadline !== undefined) this.timer = setTimeout(this.onAbort, Math.max(0, hooks.deadline - performance.now()))
    if (hooks.stallAfterMs && hooks.stallAfterMs > 0) this.stallTimer = setInterval(() => this.stallWatch.check(performance.now()), 250)
  }

  /**
   * Operations have waited on `suspect.node`: ask every node the workload uses whether it answers.
   * Silent nodes end the phase (the suspect if it is one of them); if all answer, the wait is the
   * client's own and the phase goes on.
   */
  private async confirm(suspect: Stall): Promise<void> {
    const nodes = [...new Set([suspect.node, ...(this.hooks.slots ?? []).filter((n): n is string => n !== undefined)])]
    const silent = this.hooks.silentNodes ? await this.hooks.silentNodes(nodes).catch(() => [suspect.node]) : [suspect.node]
    if (this.controller.signal.aborted || this.disposed) return
    if (silent.length === 0) {
      this.stallWatch.dismiss(performance.now())
      return
    }
    this.stall = silent.includes(suspect.node) ? suspect : {...suspect, node: silent[0]}
    this.controller.abort()
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  private disposed = false

  dispose(): void {
    this.disposed = true
    clearTimeout(this.timer)
    clearInterval(this.stallTimer)
    this.hooks.signal?.removeEventListener('abort', this.onAbort)
  }
}

/** The gap: a countdown on the progress line, ended early by abort or the deadline. */
async function idle(ms: number, hooks: ScheduleHooks, tick: (leftMs: number) => void): Promise<void> {
  const end = Math.min(performance.now() + ms, hooks.deadline ?? Number.POSITIVE_INFINITY)
  while (performance.now() < end && !hooks.signal?.aborted) {
    tick(end - performance.now())
    await sleepUnlessStopped(Math.min(1000, end - performance.now()), hooks.signal)
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

function sleepUnlessStopped(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, {once: true})
  })
}
