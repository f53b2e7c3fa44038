import {describe, expect, it} from 'vitest'

import {topologyRefreshStorm} from '../../../src/lib/rules/topology-refresh-storm.js'
import {ADDRESSES, healthyEvidence, quietSample, rates, sample} from './evidence-builder.js'

describe('topology-refresh-storm', () => {
  it('is silent without a sample or with a quiet one', () => {
    expect(topologyRefreshStorm(healthyEvidence())).toBeUndefined()
    expect(topologyRefreshStorm({...healthyEvidence(), sample: quietSample()})).toBeUndefined()
  })

  it('takes a low steady rate without reconnects or MOVED for periodic refresh', () => {
    expect(topologyRefreshStorm({...healthyEvidence(), sample: sample({opsPerSec: 5000, topologyCallsPerSec: 2})})).toBeUndefined()
    // below the minimum rate even with reconnects
    expect(topologyRefreshStorm({...healthyEvidence(), sample: sample({topologyCallsPerSec: 0.5, newConnectionsPerSec: 0.5})})).toBeUndefined()
  })

  it('warns when refreshes follow reconnects, naming rates and the busiest node', () => {
    const nodes = ADDRESSES.map((address, i) => ({
      address,
      rates: rates({topologyCallsPerSec: [6, 2, 2, 0, 0, 0][i], newConnectionsPerSec: [6, 2, 2, 0, 0, 0][i], configGetPerSec: [6, 2, 2, 0, 0, 0][i]}),
      connectedClients: 21,
    }))
    const ev = {...healthyEvidence(), sample: sample({topologyCallsPerSec: 10, newConnectionsPerSec: 10, configGetPerSec: 10, movedPerSec: 0.5}, nodes)}
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
    expect(f.metrics).toMatchObject({topologyCallsPerSec: 10, newConnectionsPerSec: 10, movedPerSec: 0.5, configGetPerSec: 10, maxNodeTopologyCallsPerSec: 6, topologyCallsPerNewConnection: 1})
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
