import {describe, expect, it} from 'vitest'

import {emptyOpContext, PhaseRecorder} from '../../../src/lib/replay/recorder.js'
import {buildRun, idleFailureOf} from '../../../src/lib/replay/summarize.js'
import type {PhaseResult} from '../../../src/lib/replay/types.js'

describe('PhaseRecorder and run summaries', () => {
  it('counts concurrent refreshes, first ops per worker and attribution', () => {
    const r = new PhaseRecorder('post-idle', 1)
    r.refreshStarted()
    r.refreshStarted()
    r.refreshEnded(10)
    r.refreshStarted()
    r.refreshEnded(5)
    r.refreshEnded(5)
    const ctx = {...emptyOpContext(), reconnects: 1, closedConnectionErrors: 1, connectionErrors: 1, refreshes: 1}
    r.record(0, 50_000, true, ctx)
    r.record(0, 1_000, true, emptyOpContext())
    r.record(1, 40_000, false, emptyOpContext())
    const result = r.result(null, {durationMs: 3000, workloadConnectionsBefore: 6, workloadConnectionsAfter: 0, closedByServer: 6})
    expect(result).toMatchObject({
      ops: 3,
      errors: 1,
      refreshes: 3,
      maxConcurrentRefreshes: 2,
      refreshMsTotal: 20,
      reconnects: 1,
      opsWithRefresh: 1,
      opsWithReconnect: 1,
    })
    expect(result.firstOpLatencyMs.max).toBeCloseTo(50, 0)
    expect(result.firstOpLatencyMs.p50).toBeCloseTo(40, 0)
    expect(result.gap?.closedByServer).toBe(6)
  })

  it('merges cycles and names the idle failure mode', () => {
    const phase = (name: PhaseResult['name'], cycle: number, over: Partial<PhaseResult>) => {
      const r = new PhaseRecorder(name, cycle)
      r.record(0, name === 'post-idle' ? 80_000 : 1_000, true, emptyOpContext())
      return {...r.result(null), ...over}
    }
    const phases = [
      phase('warmup', 0, {}),
      phase('post-idle', 1, {refreshes: 18, maxConcurrentRefreshes: 12, closedConnectionErrors: 3}),
      phase('steady', 1, {}),
      phase('post-idle', 2, {refreshes: 20, maxConcurrentRefreshes: 15}),
      phase('steady', 2, {}),
    ]
    const run = buildRun('refresh-on-error', 'rcdiag-replay-refresh-on-error', phases, new Map(), {
      interrupted: false,
      durationReached: false,
    })
    expect(run.refreshesPerGap).toBe(19)
    expect(run.stampedeFactor).toBe(15)
    expect(run.merged['post-idle'].phases).toBe(2)
    expect(run.merged.steady.ops).toBe(2)
    expect(run.merged['post-idle'].latencyMs.p99).toBeCloseTo(80, 0)
    expect(run.idleFailure).toBe('closed-by-server')
    expect(idleFailureOf([phase('post-idle', 1, {timeouts: 2})])).toBe('hung-until-timeout')
    expect(idleFailureOf([phase('post-idle', 1, {})])).toBe('none')
  })
})
