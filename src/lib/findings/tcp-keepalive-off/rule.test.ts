import {describe, expect, it} from 'vitest'

import {tcpKeepaliveOff} from './rule.js'
import {healthyEvidence, withConfig} from '../../../../test/helpers/evidence-builder.js'

describe('tcp-keepalive-off', () => {
  it('is silent with tcp-keepalive 300', () => {
    expect(tcpKeepaliveOff(healthyEvidence())).toBeUndefined()
  })

  it('warns when keepalive is 0 and timeout is 0', () => {
    const f = tcpKeepaliveOff(withConfig(healthyEvidence(), 'tcp-keepalive', 0, [0, 3]))!
    expect(f.severity).toBe('warning')
    expect(f.nodes).toEqual(['127.0.0.1:7000', '127.0.0.1:7003'])
    expect(f.evidence[0]).toBe('tcp-keepalive 0 on 2/6 reachable nodes: 127.0.0.1:7000, 127.0.0.1:7003')
    expect(f.metrics).toMatchObject({nodesKeepaliveOff: 2, nodesKeepaliveOffNoTimeout: 2, connectedClients: 42})
    expect(f.remedy).toContain('CONFIG SET tcp-keepalive 60')
  })

  it('is only info when every such node has timeout > 0', () => {
    const ev = withConfig(withConfig(healthyEvidence(), 'tcp-keepalive', 0, [1]), 'timeout', 300)
    const f = tcpKeepaliveOff(ev)!
    expect(f.severity).toBe('info')
    expect(f.evidence.join('\n')).toContain('timeout 300 s')
  })

  it('ignores unreachable nodes', () => {
    const ev = withConfig(healthyEvidence(), 'tcp-keepalive', 0, [1])
    ev.nodes[1].reachable = false
    expect(tcpKeepaliveOff(ev)).toBeUndefined()
  })
})
