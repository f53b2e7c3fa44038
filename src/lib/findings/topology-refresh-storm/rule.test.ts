import {describe, expect, it} from 'vitest'

import {ENTRY} from './catalog.js'
import {topologyRefreshStorm} from './rule.js'
import {
  ADDRESSES,
  healthyEvidence,
  quietSample,
  rates,
  refreshOnErrorRun,
  replayEvidence,
  replayRun,
  sample,
  singleFlightRun,
} from '../../../../test/helpers/evidence-builder.js'

describe('topology-refresh-storm', () => {
  it('is silent without a sample or with a quiet one', () => {
    expect(topologyRefreshStorm(healthyEvidence())).toBeUndefined()
    expect(topologyRefreshStorm({...healthyEvidence(), sample: quietSample()})).toBeUndefined()
  })

  it('takes a low steady rate without reconnects or MOVED for periodic refresh', () => {
    expect(topologyRefreshStorm({...healthyEvidence(), sample: sample({opsPerSec: 5000, topologyCallsPerSec: 2})})).toBeUndefined()
    // below the minimum rate even with reconnects
    expect(
      topologyRefreshStorm({...healthyEvidence(), sample: sample({topologyCallsPerSec: 0.5, newConnectionsPerSec: 0.5})}),
    ).toBeUndefined()
  })

  it('warns when refreshes follow reconnects, naming rates and the busiest node', () => {
    const nodes = ADDRESSES.map((address, i) => ({
      address,
      rates: rates({
        topologyCallsPerSec: [6, 2, 2, 0, 0, 0][i],
        newConnectionsPerSec: [6, 2, 2, 0, 0, 0][i],
        configGetPerSec: [6, 2, 2, 0, 0, 0][i],
      }),
      connectedClients: 21,
    }))
    const ev = {
      ...healthyEvidence(),
      sample: sample({topologyCallsPerSec: 10, newConnectionsPerSec: 10, configGetPerSec: 10, movedPerSec: 0.5}, nodes),
    }
    const f = topologyRefreshStorm(ev)!
    expect(f.severity).toBe('warning')
    expect(f.confidence).toBe(0.85)
    const text = f.evidence.join('\n')
    expect(text).toContain('10 topology calls/s')
    expect(text).toContain('10 new connections/s: 1 topology call(s) per new connection')
    expect(text).toContain('10 CONFIG GET/s')
    expect(text).toContain('0.5 MOVED/s')
    expect(text).toContain('most on 127.0.0.1:7000: 6/s (60% of the calls)')
    expect(f.nodes).toEqual(ADDRESSES.slice(0, 3))
    expect(f.metrics).toMatchObject({
      topologyCallsPerSec: 10,
      newConnectionsPerSec: 10,
      movedPerSec: 0.5,
      configGetPerSec: 10,
      maxNodeTopologyCallsPerSec: 6,
      topologyCallsPerNewConnection: 1,
    })
  })

  it('is critical at 20/s and above', () => {
    const f = topologyRefreshStorm({...healthyEvidence(), sample: sample({topologyCallsPerSec: 120, newConnectionsPerSec: 120})})!
    expect(f.severity).toBe('critical')
    expect(f.title).toContain('120 topology calls/s')
    expect(f.evidence.join('\n')).toContain('one CLUSTER SLOTS takes up to 0.1 ms')
  })

  it('fires on a high unexplained rate', () => {
    const f = topologyRefreshStorm({...healthyEvidence(), sample: sample({topologyCallsPerSec: 8, opsPerSec: 100})})!
    expect(f.severity).toBe('warning')
    expect(f.evidence.join('\n')).toContain('no new connections during the sample')
  })
})

describe('topology-refresh-storm from a replay', () => {
  it('is critical on the incident stampede, naming refreshes per gap, stampede factor, server-side calls and the model', () => {
    const f = topologyRefreshStorm({...healthyEvidence(), replay: replayEvidence()})!
    expect(f.severity).toBe('critical')
    expect(f.confidence).toBe(0.95)
    expect(f.title).toBe('Slot-map refresh stampede after idle gaps: 18 refreshes per gap, up to 14 at once (refresh-on-error)')
    const text = f.evidence.join('\n')
    expect(text).toContain('replay, refresh-on-error: 18 slot-map refreshes per gap, up to 14 at once (stampede factor 14')
    expect(text).toContain('server side after the gaps (refresh-on-error): 324 topology calls (CLUSTER SLOTS/SHARDS/NODES), 324 CONFIG GET')
    expect(text).toContain('384 new connections, 60 MOVED')
    expect(text).toContain('replay, single-flight: 0.33 slot-map refreshes per gap, at most 1 at once: no storm')
    expect(f.metrics).toMatchObject({
      replayStormRuns: 1,
      replayRefreshesPerGap: 18,
      replayStampedeFactor: 14,
      replayServerTopologyCalls: 324,
      replayBestRefreshesPerGap: 0.33,
    })
  })

  it('remedies with single-flight, reconnect-and-retry and the measured difference between models', () => {
    const f = topologyRefreshStorm({...healthyEvidence(), replay: replayEvidence()})!
    expect(f.remedy).toContain(
      'Measured: single-flight (reconnect and retry the same node, one refresh at a time) made 0.33 refreshes per gap, at most 1 at once, post-idle p99 2.5 ms, ' +
        'where refresh-on-error made 18 refreshes per gap, up to 14 at once, post-idle p99 60 ms',
    )
    expect(f.remedy).toContain('single-flight the refresh and reconnect-and-retry on the same node')
    expect(f.remedy).toContain(ENTRY.remedy)
    const alone = topologyRefreshStorm({...healthyEvidence(), replay: replayEvidence({runs: [refreshOnErrorRun()]})})!
    expect(alone.remedy).toContain('Here: refresh-on-error made 18 refreshes per gap')
    expect(alone.remedy).not.toContain('Measured')
  })

  it('yields no storm for a single-flight run alone, or a flat one', () => {
    expect(topologyRefreshStorm({...healthyEvidence(), replay: replayEvidence({runs: [singleFlightRun()]})})).toBeUndefined()
    expect(
      topologyRefreshStorm({
        ...healthyEvidence(),
        replay: replayEvidence({runs: [replayRun('ioredis', {refreshesPerGap: 1, stampedeFactor: 1})]}),
      }),
    ).toBeUndefined()
  })

  it('warns on a small storm and is critical when about every caller refreshes', () => {
    const small = replayRun('ioredis', {refreshesPerGap: 3, stampedeFactor: 2, postIdle: {serverTopologyCalls: 18}})
    const w = topologyRefreshStorm({...healthyEvidence(), replay: replayEvidence({runs: [small]})})!
    expect(w.severity).toBe('warning')
    expect(w.confidence).toBe(0.9)
    const everyCaller = replayRun('ioredis', {refreshesPerGap: 10, stampedeFactor: 2})
    const c = topologyRefreshStorm({...healthyEvidence(), replay: replayEvidence({runs: [everyCaller]})})!
    expect(c.severity).toBe('critical')
    expect(c.evidence.join('\n')).toContain('about every caller refreshes on its own')
  })

  it('combines a sample and a replay: the replay leads, both sets of evidence kept', () => {
    const f = topologyRefreshStorm({
      ...healthyEvidence(),
      sample: sample({topologyCallsPerSec: 10, newConnectionsPerSec: 10}),
      replay: replayEvidence(),
    })!
    expect(f.severity).toBe('critical')
    expect(f.title).toContain('after idle gaps')
    const text = f.evidence.join('\n')
    expect(text).toContain('10 topology calls/s')
    expect(text).toContain('stampede factor 14')
    expect(f.nodes).toEqual(ADDRESSES.slice(0, 3))
    expect(f.metrics).toMatchObject({topologyCallsPerSec: 10, replayStampedeFactor: 14})
    expect(f.remedy).toContain('Here the refreshes follow new connections')
  })
})
