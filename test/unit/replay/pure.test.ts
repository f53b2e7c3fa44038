import {describe, expect, it} from 'vitest'

import {decode, newHistogram, recordMicros, summarize, encode} from '../../../src/lib/replay/histogram.js'
import {resolveReplaySettings} from '../../../src/lib/replay/options.js'
import {emptyOpContext, PhaseRecorder} from '../../../src/lib/replay/recorder.js'
import {parseRedirect, slotOf, slotTableFrom} from '../../../src/lib/redis/slot-table.js'
import {buildRun, idleFailureOf} from '../../../src/lib/replay/summarize.js'
import type {PhaseResult} from '../../../src/lib/replay/types.js'

describe('resolveReplaySettings', () => {
  it('fills the documented defaults', () => {
    const s = resolveReplaySettings({})
    expect(s).toMatchObject({concurrency: 20, fields: 5, keys: 1000, prefix: 'rcdiag:replay:', idleMs: 350_000, cycles: 3, steadyBursts: 3, burst: 50, rate: 0, clients: ['ioredis'], cleanup: true})
    // the TTL outlives the whole schedule of every model, plus a margin
    expect(s.keyTtlSec).toBeGreaterThan((3 * 350) + 600)
  })

  it('expands all, de-duplicates, and refuses unknown models and bad numbers', () => {
    expect(resolveReplaySettings({clients: ['all', 'ioredis']}).clients).toEqual(['ioredis', 'refresh-on-error', 'single-flight'])
    expect(resolveReplaySettings({clients: ['single-flight,refresh-on-error']}).clients).toEqual(['single-flight', 'refresh-on-error'])
    expect(() => resolveReplaySettings({clients: ['jedis']})).toThrow(/unknown model/)
    expect(() => resolveReplaySettings({concurrency: 0})).toThrow(/--concurrency/)
    expect(() => resolveReplaySettings({prefix: 'a*'})).toThrow(/--prefix/)
    expect(() => resolveReplaySettings({prefix: ''})).toThrow(/--prefix/)
  })
})

describe('slot table and redirects', () => {
  it('hashes like Redis, hash tags included', () => {
    expect(slotOf('foo')).toBe(12182)
    expect(slotOf('{user1000}.following')).toBe(slotOf('{user1000}.followers'))
  })

  it('reads MOVED and ASK', () => {
    expect(parseRedirect('MOVED 3999 127.0.0.1:6381')).toEqual({kind: 'MOVED', slot: 3999, address: '127.0.0.1:6381'})
    expect(parseRedirect('ASK 1 10.0.0.1:7000')).toEqual({kind: 'ASK', slot: 1, address: '10.0.0.1:7000'})
    expect(parseRedirect('ERR nope')).toBeUndefined()
    expect(parseRedirect('MOVED 99999 10.0.0.1:7000')).toBeUndefined()
  })

  it('a redirect without a host goes to the host of the node that sent it, never to 127.0.0.1', () => {
    expect(parseRedirect('MOVED 3999 :6381', '10.0.0.9:7000')).toEqual({kind: 'MOVED', slot: 3999, address: '10.0.0.9:6381'})
    expect(parseRedirect('ASK 3999 :6381', '[fe80::1]:7000')).toEqual({kind: 'ASK', slot: 3999, address: '[fe80::1]:6381'})
    expect(parseRedirect('MOVED 3999 :6381')).toBeUndefined()
  })

  it('maps every slot of a CLUSTER SLOTS reply to its master', () => {
    const table = slotTableFrom([{start: 0, end: 9, master: {host: '127.0.0.1', port: 1}, replicas: []}])
    expect(table[0]).toBe('127.0.0.1:1')
    expect(table[9]).toBe('127.0.0.1:1')
    expect(table[10]).toBeUndefined()
  })

})

describe('histograms', () => {
  it('records integer microseconds and reads exact percentiles; base64 round-trips', () => {
    const h = newHistogram()
    for (let i = 1; i <= 1000; i++) recordMicros(h, i * 1000) // 1..1000 ms
    const s = summarize(h)
    expect(s.p50).toBeCloseTo(500, -1)
    expect(s.p99).toBeCloseTo(990, -1)
    expect(s.max).toBeCloseTo(1000, -1)
    expect(decode(encode(h)).totalCount).toBe(1000)
  })
})

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
    expect(result).toMatchObject({ops: 3, errors: 1, refreshes: 3, maxConcurrentRefreshes: 2, refreshMsTotal: 20, reconnects: 1, opsWithRefresh: 1, opsWithReconnect: 1})
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
    const run = buildRun('refresh-on-error', 'rcdiag-replay-refresh-on-error', phases, new Map(), false)
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
