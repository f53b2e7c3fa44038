/** The watch core: counters from real Redis 7 replies, interval deltas, the robust baseline, episodes. */
import {describe, expect, it} from 'vitest'

import {parseInfo} from '../../../src/lib/parse/info.js'
import {parseLatencyLatest} from '../../../src/lib/parse/latency-latest.js'
import {baselineOf, isAnomalous, RingBuffer} from '../../../src/lib/watch/baseline.js'
import {countersOf, type NodeCounters} from '../../../src/lib/watch/counters.js'
import {intervalDelta} from '../../../src/lib/watch/delta.js'
import {EpisodeTracker} from '../../../src/lib/watch/episodes.js'
import {fixtureJson, fixtureText} from '../parse/fixtures.js'

const real = countersOf(parseInfo(fixtureText('info-all.txt')), parseLatencyLatest(fixtureJson('latency-latest.json')), 4, 1_000)

/** The same node one second later, with `change` applied. */
function later(change: (c: NodeCounters) => void, base: NodeCounters = real): NodeCounters {
  const next: NodeCounters = structuredClone(base)
  next.takenAtMs = base.takenAtMs + 1000
  next.uptimeSec = (base.uptimeSec ?? 0) + 1
  change(next)
  return next
}

describe('countersOf: real Redis 7 INFO all', () => {
  it('reads identity, connections, per-subcommand calls, errorstats and latency events', () => {
    expect(real.runId).toMatch(/^[0-9a-f]{40}$/)
    expect(real.role).toBe('master')
    expect(real.totalConnectionsReceived).toBeGreaterThan(0)
    expect(real.calls.hmget).toBe(5)
    expect(real.errors).toMatchObject({MOVED: 2, WRONGTYPE: 1})
    expect(real.slowlogNewestId).toBe(4)
  })
})

describe('intervalDelta', () => {
  it("counts what happened, less rcdiag's own calls", () => {
    const next = later((c) => {
      c.totalConnectionsReceived! += 12
      c.calls['cluster|slots'] = (c.calls['cluster|slots'] ?? 0) + 30
      c.errors = {...c.errors, MOVED: (c.errors?.MOVED ?? 0) + 7}
      c.slowlogNewestId = 6
      c.latencyEvents = {...c.latencyEvents, command: 2_000_000_000}
    })
    const d = intervalDelta(real, next, {'cluster|slots': 1})
    expect(d).toMatchObject({
      durationMs: 1000,
      restarted: false,
      newConnections: 12,
      topologyCalls: 29,
      moved: 7,
      slowlogNew: 2,
      roleChanged: false,
    })
    expect(d.latencyEvents).toEqual(['command'])
  })

  it('a restart (new run_id) or a reset counter gives null, never a negative or huge delta', () => {
    const restarted = later((c) => {
      c.runId = 'f'.repeat(40)
      c.uptimeSec = 3
      c.totalConnectionsReceived = 2
    })
    const d = intervalDelta(real, restarted)
    expect(d.restarted).toBe(true)
    expect([d.newConnections, d.topologyCalls, d.moved, d.slowlogNew]).toEqual([null, null, null, null])
    // CONFIG RESETSTAT: counters go down without a restart
    const reset = intervalDelta(
      real,
      later((c) => (c.totalConnectionsReceived = 1)),
    )
    expect(reset.newConnections).toBeNull()
    // SLOWLOG RESET: the log is empty (-1) until the next entry
    expect(
      intervalDelta(
        real,
        later((c) => (c.slowlogNewestId = -1)),
      ).slowlogNew,
    ).toBeNull()
    // a full log (LEN stuck at slowlog-max-len) still shows new entries by their ids
    expect(
      intervalDelta(
        real,
        later((c) => (c.slowlogNewestId = 4 + 37)),
      ).slowlogNew,
    ).toBe(37)
  })

  it('before Redis 6.2 (no errorstats) MOVED is unknown; before 7.0 topology counts CLUSTER calls less all of ours', () => {
    const old: NodeCounters = {...real, errors: null, calls: {cluster: 100, info: 50}}
    const next = later((c) => (c.calls = {cluster: 110, info: 51}), old)
    const d = intervalDelta(old, next, {'cluster|info': 2, 'cluster|nodes': 1})
    expect(d.moved).toBeNull()
    expect(d.topologyCalls).toBe(7)
  })

  it('a role change is seen', () => {
    expect(
      intervalDelta(
        real,
        later((c) => (c.role = 'replica')),
      ).roleChanged,
    ).toBe(true)
  })
})

describe('baseline', () => {
  it('keeps at most its capacity of recent values', () => {
    const ring = new RingBuffer(3)
    for (const v of [1, 2, 3, 4, 5]) ring.push(v)
    expect(ring.snapshot().sort()).toEqual([3, 4, 5])
    expect(ring.size).toBe(3)
  })

  it('a burst far above a noisy normal is anomalous; normal noise and values under the floor are not', () => {
    const base = baselineOf([0, 1, 0, 2, 1, 0, 1, 0, 1, 1])
    expect(base).toMatchObject({median: 1, samples: 10})
    expect(isAnomalous(40, base, 5)).toBe(true)
    expect(isAnomalous(3, base, 5)).toBe(false) // under the floor
    expect(isAnomalous(5, base, 1)).toBe(false) // within median + 5 x spread (spread at least 1/s)
    // a busy but steady rate: 100 +- 2; 150 stands out, 105 does not
    const busy = baselineOf([98, 100, 102, 100, 99, 101, 100])
    expect(isAnomalous(105, busy, 5)).toBe(false)
    expect(isAnomalous(170, busy, 5)).toBe(true)
  })
})

describe('EpisodeTracker', () => {
  it('consecutive anomalous intervals are one episode, closed by the first quiet one, with nodes and peaks', () => {
    const tracker = new EpisodeTracker()
    expect(tracker.feed(0, 250, [])).toBeUndefined()
    expect(tracker.feed(250, 500, [{metric: 'topologyCallsPerSec', node: 'a', value: 40, baselineMedian: 0}])).toBeUndefined()
    expect(
      tracker.feed(500, 750, [
        {metric: 'topologyCallsPerSec', node: 'b', value: 90, baselineMedian: 1},
        {metric: 'newConnectionsPerSec', node: 'a', value: 60, baselineMedian: 0},
      ]),
    ).toBeUndefined()
    const episode = tracker.feed(750, 1000, [])
    expect(episode).toEqual({
      startMs: 250,
      endMs: 750,
      intervals: 2,
      nodes: ['a', 'b'],
      peaks: {
        topologyCallsPerSec: {value: 90, baselineMedian: 1, node: 'b'},
        newConnectionsPerSec: {value: 60, baselineMedian: 0, node: 'a'},
      },
    })
    expect(tracker.flush()).toBeUndefined()
  })

  it('an episode still open at the end is flushed as it stands', () => {
    const tracker = new EpisodeTracker()
    tracker.feed(0, 1000, [{metric: 'movedPerSec', node: 'a', value: 12, baselineMedian: 0}])
    expect(tracker.flush()).toMatchObject({startMs: 0, endMs: 1000, intervals: 1})
  })
})

describe('watch text', () => {
  it('one line per episode: when, how long, what stood out against its normal, where, and the finding', async () => {
    const {renderEpisodeLine} = await import('../../../src/lib/watch/render.js')
    const line = renderEpisodeLine({
      index: 2,
      startMs: Date.parse('2026-12-02T04:01:44.411Z'),
      endMs: Date.parse('2026-12-02T04:01:44.911Z'),
      intervals: 2,
      nodes: ['127.0.0.1:7001', '127.0.0.1:7002'],
      peaks: {
        topologyCallsPerSec: {value: 120, baselineMedian: 0, node: '127.0.0.1:7001'},
        unreachableNodes: {value: 1, baselineMedian: 0, node: '127.0.0.1:7002'},
      },
      matches: ['topology-refresh-storm', 'node-blocked'],
      severity: 'critical',
    })
    expect(line).toBe(
      '2026-12-02T04:01:44.411Z  episode 2: 0.50 s, 2 node(s): topology calls/s 120 (normal 0) on 127.0.0.1:7001; ' +
        'not answering on 127.0.0.1:7002; see `rcdiag explain topology-refresh-storm`, `rcdiag explain node-blocked`',
    )
  })
})
