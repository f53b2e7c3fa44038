import {describe, expect, it} from 'vitest'

import {clientSideLatency} from './rule.js'
import {ENTRY} from './catalog.js'
import {
  healthyEvidence,
  refreshOnErrorRun,
  replayEvidence,
  replayRun,
  singleFlightRun,
  withNodes,
} from '../../../../test/helpers/evidence-builder.js'

/** ioredis with a steady p99 of 40 ms against a server-side HMGET p99 of 0.05 ms, nothing reconnecting. */
const slowClient = () => replayRun('ioredis', {steady: {p99Ms: 40}, postIdle: {p99Ms: 41}})

describe('client-side-latency', () => {
  it('is silent without a replay, and on a flat one', () => {
    expect(clientSideLatency(healthyEvidence())).toBeUndefined()
    expect(
      clientSideLatency({...healthyEvidence(), replay: replayEvidence({runs: [replayRun('ioredis'), replayRun('single-flight')]})}),
    ).toBeUndefined()
  })

  it('fires on a steady p99 of 40 ms vs a server p99 of 0.05 ms, with the event-loop hint', () => {
    const f = clientSideLatency({...healthyEvidence(), replay: replayEvidence({runs: [slowClient(), singleFlightRun()]})})!
    expect(f.id).toBe('client-side-latency')
    expect(f.severity).toBe('warning')
    expect(f.confidence).toBe(0.7)
    expect(f.title).toBe('Client-side latency: ioredis steady p99 40 ms vs 0.05 ms server-side HMGET p99, with no server-side cause')
    const text = f.evidence.join('\n')
    expect(text).toContain('replay, ioredis: steady p99 40 ms vs server HMGET p99 0.05 ms (800x, 40 ms not spent in the server)')
    expect(text).toContain('replay, single-flight: steady p99 1.4 ms, post-idle p99 2.5 ms vs server HMGET p99 0.05 ms: within bounds')
    expect(text).toContain('no SLOWLOG entry >= 10 ms and no LATENCY LATEST events on 6 reachable node(s)')
    expect(text).toContain("rcdiag's PING round trip to the nodes: up to 0.2 ms")
    expect(text).toMatch(/event loop.*GC pauses.*pool.*network/)
    expect(f.metrics).toMatchObject({clientP99Ms: 40, serverHmgetMs: 0.05, ratioToServer: 800, flaggedRuns: 1, replayRuns: 2})
    expect(f.remedy).toContain("the server accounts for 0.05 ms (p99) of ioredis's 40 ms steady p99")
    expect(f.remedy).toContain(ENTRY.remedy)
  })

  it('is silent when a node has SLOWLOG entries >= 10 ms or latency events', () => {
    const slowlog = withNodes(
      healthyEvidence(),
      (n) => {
        n.slowlog = {
          length: 3,
          internalEntries: 0,
          topPatterns: [],
          read: 3,
          maxDurationUs: 20_000,
          topCommands: [{command: 'hgetall', count: 3, totalUs: 60_000, maxUs: 20_000}],
        }
      },
      [1],
    )
    expect(clientSideLatency({...slowlog, replay: replayEvidence({runs: [slowClient()]})})).toBeUndefined()
    const events = withNodes(
      healthyEvidence(),
      (n) => {
        n.latencyLatest = [{event: 'command', timestamp: 1_700_000_000, latestMs: 30, maxMs: 30}]
      },
      [2],
    )
    expect(clientSideLatency({...events, replay: replayEvidence({runs: [slowClient()]})})).toBeUndefined()
    // short SLOWLOG entries are not a server-side cause
    const short = withNodes(
      healthyEvidence(),
      (n) => {
        n.slowlog = {
          length: 1,
          internalEntries: 0,
          topPatterns: [],
          read: 1,
          maxDurationUs: 2_000,
          topCommands: [{command: 'info', count: 1, totalUs: 2_000, maxUs: 2_000}],
        }
      },
      [0],
    )
    expect(clientSideLatency({...short, replay: replayEvidence({runs: [slowClient()]})})).toBeDefined()
  })

  it('leaves a post-idle-only excess to idle-timeout-reconnect and topology-refresh-storm when the run reconnected or refreshed', () => {
    expect(clientSideLatency({...healthyEvidence(), replay: replayEvidence()})).toBeUndefined()
    const f = clientSideLatency({...healthyEvidence(), replay: replayEvidence({runs: [refreshOnErrorRun(), slowClient()]})})!
    expect(f.metrics).toMatchObject({flaggedRuns: 1})
    expect(f.evidence.join('\n')).toContain(
      'replay, refresh-on-error: post-idle p99 60 ms is high too, but that run reconnected or refreshed its slot map after the gaps',
    )
  })

  it('reports a post-idle excess nothing else explains', () => {
    const f = clientSideLatency({...healthyEvidence(), replay: replayEvidence({runs: [replayRun('ioredis', {postIdle: {p99Ms: 30}})]})})!
    expect(f.title).toContain('ioredis post-idle p99 30 ms')
  })

  it('needs both the ratio and the absolute gap, and a server-side time', () => {
    // 80x but under 5 ms above the server
    expect(
      clientSideLatency({...healthyEvidence(), replay: replayEvidence({runs: [replayRun('ioredis', {steady: {p99Ms: 4}})]})}),
    ).toBeUndefined()
    // 8 ms above but under 10x
    expect(
      clientSideLatency({
        ...healthyEvidence(),
        replay: replayEvidence({runs: [replayRun('ioredis', {steady: {p99Ms: 9}, serverHmgetP99Ms: 1})]}),
      }),
    ).toBeUndefined()
    expect(
      clientSideLatency({
        ...healthyEvidence(),
        replay: replayEvidence({runs: [replayRun('ioredis', {steady: {p99Ms: 40}, serverHmgetP99Ms: null, serverHmgetMeanMs: null})]}),
      }),
    ).toBeUndefined()
  })

  it('falls back to the server-side mean with lower confidence', () => {
    const f = clientSideLatency({
      ...healthyEvidence(),
      replay: replayEvidence({runs: [replayRun('ioredis', {steady: {p99Ms: 40}, serverHmgetP99Ms: null, serverHmgetMeanMs: 0.5})]}),
    })!
    expect(f.confidence).toBe(0.6)
    expect(f.evidence[0]).toContain('steady p99 40 ms vs server HMGET mean 0.5 ms (80x')
  })
})

describe("client-side-latency and rcdiag's own event loop", () => {
  it('does not blame the client for latency the tool added itself (busy machine, own event loop delayed)', () => {
    const ev = healthyEvidence()
    ev.replay = {idleMs: 2000, cycles: 1, concurrency: 20, runs: [replayRun('ioredis', {steady: {p99Ms: 14, eventLoopDelayP99Ms: 12}})]}
    expect(clientSideLatency(ev)).toBeUndefined()
    ev.replay.runs = [replayRun('ioredis', {steady: {p99Ms: 40, eventLoopDelayP99Ms: 12}})]
    expect(clientSideLatency(ev)?.severity).toBe('warning')
  })
})
