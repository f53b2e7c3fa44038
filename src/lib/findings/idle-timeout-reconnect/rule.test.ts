import {describe, expect, it} from 'vitest'

import {IDLE_OVER_80PCT_TIMEOUT_FRACTION, IDLE_OVER_HALF_TIMEOUT_FRACTION} from '../../evidence/clients.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {idleTimeoutReconnect} from './rule.js'
import {
  ADDRESSES,
  clientsSummary,
  healthyEvidence,
  quietSample,
  refreshOnErrorRun,
  replayEvidence,
  replayRun,
  sample,
  withConfig,
  withNodes,
} from '../../../../test/helpers/evidence-builder.js'

describe('idle-timeout-reconnect', () => {
  it('takes its near-timeout fraction from the evidence layer and documents its confidences from THRESHOLDS', () => {
    expect(THRESHOLDS.nearTimeoutFraction).toBe(IDLE_OVER_80PCT_TIMEOUT_FRACTION)
    const d = ENTRY.detection
    // the evidence counts connections idle over half (in words) and over 80% of the timeout
    expect(IDLE_OVER_HALF_TIMEOUT_FRACTION).toBe(0.5)
    expect(d).toContain(`how many are idle over half and over ${IDLE_OVER_80PCT_TIMEOUT_FRACTION * 100}% of the timeout`)
    expect(d).toContain(`Confidence starts at ${THRESHOLDS.baseConfidence}, +${THRESHOLDS.idleClientsConfidence} when`)
    expect(d).toContain(`at most ${THRESHOLDS.maxConfidence}.`)
    expect(d).toContain(`confidence is capped at ${THRESHOLDS.replayNotReproducedConfidence};`)
    expect(d).toContain(
      `a margin of ${THRESHOLDS.evictionMarginFraction * 100}%, ${THRESHOLDS.evictionMarginMinSec}..${THRESHOLDS.evictionMarginMaxSec} s`,
    )
  })

  it('is silent on a healthy cluster (timeout 0), with or without a quiet sample', () => {
    expect(idleTimeoutReconnect(healthyEvidence())).toBeUndefined()
    expect(idleTimeoutReconnect({...healthyEvidence(), sample: quietSample()})).toBeUndefined()
  })

  it('ignores non-numeric and unreachable timeouts', () => {
    const ev = withConfig(healthyEvidence(), 'timeout', '300')
    expect(idleTimeoutReconnect(ev)).toBeUndefined()
    withConfig(ev, 'timeout', 300, [2])
    ev.nodes[2].reachable = false
    expect(idleTimeoutReconnect(ev)).toBeUndefined()
  })

  it('fires as a warning with base confidence on timeout 300 and no idle clients', () => {
    const f = idleTimeoutReconnect(withConfig(healthyEvidence(), 'timeout', 300))!
    expect(f.id).toBe('idle-timeout-reconnect')
    expect(f.severity).toBe('warning')
    expect(f.confidence).toBe(0.6)
    expect(f.nodes).toEqual(ADDRESSES)
    expect(f.evidence[0]).toContain('timeout 300 s on 6/6 reachable nodes')
    expect(f.evidence.join('\n')).toContain('0 connection(s) idle over 80%')
    expect(f.metrics).toMatchObject({timeoutSec: 300, nodesWithTimeout: 6, clientsIdleOver80PctTimeout: 0, recommendedPoolIdleSec: 270})
    expect(f.remedy).toContain('longer than 270 s')
    expect(f.remedy).toContain('CONFIG SET timeout 0')
    expect(f.title).toContain('300 s')
  })

  it('raises confidence with near-timeout idle clients and a reconnect+refresh sample, capped at 0.9', () => {
    const ev = withConfig(healthyEvidence(), 'timeout', 300, [0, 1, 2])
    withNodes(
      ev,
      (node) => {
        node.clients = clientsSummary({
          idle: {count: 20, p50: 100, p90: 280, max: 299},
          idleOverHalfTimeout: 12,
          idleOver80PctTimeout: 5,
        })
      },
      [0, 1, 2],
    )
    const idleOnly = idleTimeoutReconnect(ev)!
    expect(idleOnly.confidence).toBe(0.75)
    expect(idleOnly.nodes).toEqual(ADDRESSES.slice(0, 3))
    expect(idleOnly.evidence[0]).toContain('timeout 300 s on 3/6 reachable nodes: 127.0.0.1:7000, 127.0.0.1:7001, 127.0.0.1:7002')
    expect(idleOnly.evidence.join('\n')).toMatch(/idle p90 up to 280 s .*max 299 s/)
    expect(idleOnly.evidence.join('\n')).toContain('15 connection(s) idle over 80% of the timeout and 36 over half')
    expect(idleOnly.metrics).toMatchObject({
      clientIdleP90Sec: 280,
      clientIdleMaxSec: 299,
      clientsIdleOver80PctTimeout: 15,
      clientsIdleOverHalfTimeout: 36,
    })

    ev.sample = sample({newConnectionsPerSec: 12, topologyCallsPerSec: 12})
    const both = idleTimeoutReconnect(ev)!
    expect(both.confidence).toBe(0.9)
    expect(both.evidence.join('\n')).toContain('12 new connections/s with 12 topology calls/s')
    expect(both.metrics).toMatchObject({newConnectionsPerSec: 12, topologyCallsPerSec: 12})
  })

  it('reports mixed timeouts and the smallest drives the pool advice', () => {
    const ev = withConfig(withConfig(healthyEvidence(), 'timeout', 300), 'timeout', 5, [1])
    const f = idleTimeoutReconnect(ev)!
    expect(f.title).toContain('5-300 s')
    expect(f.evidence[0]).toBe('timeout 5 s on 1/6 reachable nodes: 127.0.0.1:7001')
    expect(f.metrics).toMatchObject({timeoutSec: 5, timeoutSecMax: 300, recommendedPoolIdleSec: 4})
  })

  it('advises timeout 0 when the timeout is too short for pool eviction', () => {
    const f = idleTimeoutReconnect(withConfig(healthyEvidence(), 'timeout', 1))!
    expect(f.remedy).toContain('too short')
  })
})

describe('idle-timeout-reconnect with a replay', () => {
  it('is confirmed by a run whose post-idle p99 spikes after the server closed its connections, naming the numbers', () => {
    const ev = {...withConfig(healthyEvidence(), 'timeout', 300), replay: replayEvidence()}
    const f = idleTimeoutReconnect(ev)!
    expect(f.severity).toBe('warning')
    expect(f.confidence).toBe(0.95)
    expect(f.title).toBe(
      'Server timeout 300 s closes pooled connections idle longer than that; replay confirmed: post-idle p99 60 ms vs 1.5 ms steady (refresh-on-error)',
    )
    const text = f.evidence.join('\n')
    expect(text).toContain('the 350 s gap is longer than the server timeout 300 s: the gaps exercised it')
    expect(text).toContain('replay, refresh-on-error: post-idle p99 60 ms vs steady p99 1.5 ms (40x)')
    expect(text).toContain('60 connection(s) closed by the server during the gaps')
    expect(text).toContain('idle failure: closed by the server (the next command failed fast, then reconnected) -> confirms it')
    expect(text).toContain('replay, single-flight: post-idle p99 2.5 ms vs steady p99 1.4 ms (1.8x)')
    expect(text).toContain('connections were lost but this behaviour absorbed it')
    expect(f.nodes).toEqual(ADDRESSES)
    expect(f.metrics).toMatchObject({
      replayIdleSec: 350,
      replayRuns: 2,
      replayConfirmedRuns: 1,
      replayPostIdleP99Ms: 60,
      replaySteadyP99Ms: 1.5,
      replayBestPostIdleP99Ms: 2.5,
      replayClosedByServer: 120,
    })
  })

  it('names the behaviour that fixes it with the measured difference between models', () => {
    const f = idleTimeoutReconnect({...withConfig(healthyEvidence(), 'timeout', 300), replay: replayEvidence()})!
    expect(f.remedy).toContain(
      'Measured: single-flight (reconnect and retry the same node, one refresh at a time) kept post-idle p99 at 2.5 ms vs 60 ms for refresh-on-error.',
    )
    expect(f.remedy).toContain('longer than 270 s')
    expect(f.remedy).toContain(ENTRY.remedy)
  })

  it('says when every replayed behaviour paid it, and gives no comparison for a single run', () => {
    const all = idleTimeoutReconnect({
      ...withConfig(healthyEvidence(), 'timeout', 300),
      replay: replayEvidence({
        runs: [refreshOnErrorRun(), replayRun('ioredis', {postIdle: {p99Ms: 12, reconnects: 60, closedByServerDuringGaps: 60}})],
      }),
    })!
    expect(all.remedy).toContain(
      'every replayed client behaviour paid it (post-idle p99 from 12 ms for ioredis to 60 ms for refresh-on-error)',
    )
    const one = idleTimeoutReconnect({
      ...withConfig(healthyEvidence(), 'timeout', 300),
      replay: replayEvidence({runs: [refreshOnErrorRun()]}),
    })!
    expect(one.confidence).toBe(0.95)
    expect(one.remedy).not.toContain('Measured')
  })

  it('says a gap not longer than the timeout did not exercise it, and keeps the probe confidence', () => {
    const ev = {...withConfig(healthyEvidence(), 'timeout', 300), replay: replayEvidence({idleMs: 200_000, runs: [replayRun('ioredis')]})}
    const f = idleTimeoutReconnect(ev)!
    expect(f.confidence).toBe(0.6)
    expect(f.evidence.join('\n')).toContain(
      'the 200 s gap is not longer than the server timeout 300 s: the gaps did not exercise the timeout; rerun with --idle 330s',
    )
    // mixed timeouts: exercised only on some nodes
    const mixed = withConfig(withConfig(healthyEvidence(), 'timeout', 300), 'timeout', 60, [0])
    const g = idleTimeoutReconnect({...mixed, replay: replayEvidence({idleMs: 120_000, runs: [replayRun('ioredis')]})})!
    expect(g.evidence.join('\n')).toContain('exercised it partly; rerun with --idle 330s')
    // lost anyway during a short gap: the limit is on the path
    const short = idleTimeoutReconnect({...withConfig(healthyEvidence(), 'timeout', 300), replay: replayEvidence({idleMs: 200_000})})!
    expect(short.confidence).toBe(0.95)
    expect(short.evidence.join('\n')).toContain('connections were lost although the gaps were shorter than the server timeout')
  })

  it('lowers confidence when the gaps outlasted the timeout and no model spiked', () => {
    const flat = replayRun('ioredis', {postIdle: {closedByServerDuringGaps: 60, reconnects: 60}, idleFailure: 'closed-by-server'})
    const f = idleTimeoutReconnect({...withConfig(healthyEvidence(), 'timeout', 300), replay: replayEvidence({runs: [flat]})})!
    expect(f.confidence).toBe(0.5)
    expect(f.evidence.join('\n')).toContain("no model's post-idle p99 reached 3x its steady p99 although the gaps outlasted the timeout")
  })

  it('does not confirm a spike without lost connections, nor lost connections without a spike', () => {
    const spikeOnly = replayRun('ioredis', {postIdle: {p99Ms: 30}})
    const f = idleTimeoutReconnect({...withConfig(healthyEvidence(), 'timeout', 300), replay: replayEvidence({runs: [spikeOnly]})})!
    expect(f.confidence).toBe(0.6)
    expect(f.evidence.join('\n')).toContain('a post-idle spike, but no connection was lost: not this cause')
    // under 1 ms above steady is no spike, whatever the ratio
    const tiny = replayRun('ioredis', {steady: {p99Ms: 0.1}, postIdle: {p99Ms: 0.9, reconnects: 20}})
    expect(idleTimeoutReconnect({...healthyEvidence(), replay: replayEvidence({runs: [tiny]})})).toBeUndefined()
  })

  it('fires from the replay alone when CONFIG is refused', () => {
    const ev = withNodes(healthyEvidence(), (node) => {
      delete node.config.timeout
      node.skipped = [{check: 'config', command: 'CONFIG GET', reason: "ERR unknown command 'CONFIG'"}]
    })
    expect(idleTimeoutReconnect(ev)).toBeUndefined()
    const f = idleTimeoutReconnect({...ev, replay: replayEvidence()})!
    expect(f.severity).toBe('warning')
    expect(f.confidence).toBe(0.95)
    expect(f.title).toContain('server timeout unreadable')
    expect(f.title).toContain('post-idle p99 60 ms vs 1.5 ms steady (refresh-on-error)')
    expect(f.nodes).toBeUndefined()
    expect(f.evidence.join('\n')).toContain('server timeout unknown (CONFIG GET refused): judged on the replay alone')
    expect(f.remedy).toContain("read it from the provider's parameter group")
    expect(f.remedy).toContain('single-flight (reconnect and retry the same node, one refresh at a time) kept post-idle p99 at 2.5 ms')
  })

  it('with timeout 0, is silent on a flat replay and points at the path when connections hang after gaps', () => {
    expect(
      idleTimeoutReconnect({...healthyEvidence(), replay: replayEvidence({runs: [replayRun('ioredis'), replayRun('single-flight')]})}),
    ).toBeUndefined()
    const hung = refreshOnErrorRun({
      idleFailure: 'hung-until-timeout',
      postIdle: {closedByServerDuringGaps: 0, p99Ms: 5000, connectionErrors: 20, reconnects: 20},
    })
    const f = idleTimeoutReconnect({...healthyEvidence(), replay: replayEvidence({runs: [hung]})})!
    expect(f.confidence).toBe(0.95)
    expect(f.title).toContain('although the server timeout is 0')
    const text = f.evidence.join('\n')
    expect(text).toContain('server timeout 0: the server never closes idle connections')
    expect(text).toContain('hung until the client timeout (the idle connection was silently dropped on the way')
    expect(f.remedy).toContain('the idle limit is on the path')
  })

  it('names the clients whose connections idle near the timeout', () => {
    const ev = withConfig(healthyEvidence(), 'timeout', 300, [0, 1])
    const near = {host: '10.0.0.5', name: '', libName: 'redis-py', libVer: '5.0.1', count: 8, idleMax: 290, newCount: 0}
    const busy = {host: '10.0.0.6', name: 'web', libName: 'ioredis', libVer: '5.4.1', count: 12, idleMax: 3, newCount: 0}
    withNodes(
      ev,
      (node) =>
        (node.clients = clientsSummary({idle: {count: 20, p50: 3, p90: 250, max: 290}, idleOver80PctTimeout: 8, topGroups: [busy, near]})),
      [0, 1],
    )
    const text = idleTimeoutReconnect(ev)!.evidence.join('\n')
    expect(text).toContain('the connections idle near the timeout belong to redis-py 5.0.1 on 10.0.0.5: 16 connection(s), idle up to 290 s')
    expect(text).not.toContain('ioredis 5.4.1')
  })
})
