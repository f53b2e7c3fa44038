import {describe, expect, it} from 'vitest'

import {idleTimeoutReconnect} from '../../../src/lib/rules/idle-timeout-reconnect.js'
import {ADDRESSES, clientsSummary, healthyEvidence, quietSample, sample, withConfig, withNodes} from './evidence-builder.js'

describe('idle-timeout-reconnect', () => {
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
    withNodes(ev, (node) => {
      node.clients = clientsSummary({
        idle: {count: 20, p50: 100, p90: 280, max: 299},
        idleOverHalfTimeout: 12,
        idleOver80PctTimeout: 5,
      })
    }, [0, 1, 2])
    const idleOnly = idleTimeoutReconnect(ev)!
    expect(idleOnly.confidence).toBe(0.75)
    expect(idleOnly.nodes).toEqual(ADDRESSES.slice(0, 3))
    expect(idleOnly.evidence[0]).toContain('timeout 300 s on 3/6 reachable nodes: 127.0.0.1:7000, 127.0.0.1:7001, 127.0.0.1:7002')
    expect(idleOnly.evidence.join('\n')).toMatch(/idle p90 up to 280 s .*max 299 s/)
    expect(idleOnly.evidence.join('\n')).toContain('15 connection(s) idle over 80% of the timeout and 36 over half')
    expect(idleOnly.metrics).toMatchObject({clientIdleP90Sec: 280, clientIdleMaxSec: 299, clientsIdleOver80PctTimeout: 15, clientsIdleOverHalfTimeout: 36})

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
