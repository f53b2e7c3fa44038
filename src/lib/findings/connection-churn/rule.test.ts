import {describe, expect, it} from 'vitest'

import {connectionChurn} from './rule.js'
import {ADDRESSES, healthyEvidence, quietSample, rates, sample} from '../../../../test/helpers/evidence-builder.js'

describe('connection-churn', () => {
  it('is silent without a sample or with a quiet one', () => {
    expect(connectionChurn(healthyEvidence())).toBeUndefined()
    expect(connectionChurn({...healthyEvidence(), sample: quietSample()})).toBeUndefined()
  })

  it('is silent when new connections are few relative to a big pool', () => {
    // 126 clients (6 x 21): 0.1/client/s would be 12.6/s
    expect(connectionChurn({...healthyEvidence(), sample: sample({newConnectionsPerSec: 10})})).toBeUndefined()
    expect(connectionChurn({...healthyEvidence(), sample: sample({newConnectionsPerSec: 3})})).toBeUndefined()
  })

  it('warns at >= 5/s and >= 0.1 x clients per second', () => {
    const f = connectionChurn({...healthyEvidence(), sample: sample({newConnectionsPerSec: 30, topologyCallsPerSec: 30})})!
    expect(f.severity).toBe('warning')
    expect(f.confidence).toBe(0.75)
    const text = f.evidence.join('\n')
    expect(text).toContain('30 new connections/s')
    expect(text).toContain('126 connected clients')
    expect(text).toContain('most on 127.0.0.1:7000: 10/s')
    expect(f.metrics).toMatchObject({newConnectionsPerSec: 30, connectedClients: 126, maxNodeNewConnectionsPerSec: 10})
    expect(f.metrics!.newConnectionsPerClientPerSec).toBeCloseTo(0.238, 3)
  })

  it('is critical when the whole pool turns over every second at >= 100/s', () => {
    const nodes = ADDRESSES.map((address, i) => ({address, rates: rates({newConnectionsPerSec: i === 0 ? 150 : 0}), connectedClients: 20}))
    const f = connectionChurn({...healthyEvidence(), sample: sample({newConnectionsPerSec: 150}, nodes)})!
    expect(f.severity).toBe('critical')
    expect(f.nodes).toEqual(['127.0.0.1:7000'])
  })

  it('falls back to INFO connected_clients and then to the rate alone', () => {
    const nodes = ADDRESSES.map((address) => ({address, rates: rates({newConnectionsPerSec: 1})}))
    const f = connectionChurn({...healthyEvidence(), sample: sample({newConnectionsPerSec: 6}, nodes)})
    expect(f).toBeUndefined() // 6/s < 0.1 x 126 from INFO
    const ev = {...healthyEvidence(), sample: sample({newConnectionsPerSec: 6}, nodes)}
    ev.nodes.forEach((n) => delete n.stats.connectedClients)
    const g = connectionChurn(ev)!
    expect(g.severity).toBe('warning')
    expect(g.evidence.join('\n')).toContain('connected clients unknown')
  })

  it('names where the new connections come from: library, version and host, summed over nodes', () => {
    const ev = {...healthyEvidence(), sample: sample({newConnectionsPerSec: 30, topologyCallsPerSec: 30})}
    const group = {host: '10.0.0.5', name: 'api', libName: 'redis-py', libVer: '5.0.1', count: 20, idleMax: 1, newCount: 6}
    const plain = {host: '10.0.0.9', name: '', libName: '', libVer: '', count: 3, idleMax: 1, newCount: 2}
    for (const [i, node] of ev.nodes.entries()) {
      if (node.clients) node.clients = {...node.clients, newGroups: i < 3 ? [group, plain] : []}
    }
    const text = connectionChurn(ev)!.evidence.join('\n')
    expect(text).toContain(
      'the new connections come from redis-py 5.0.1 on 10.0.0.5 (name api) (18 opened in the last 10 s on 3 node(s)), clients on 10.0.0.9 (6 opened in the last 10 s on 3 node(s))',
    )
  })
})
