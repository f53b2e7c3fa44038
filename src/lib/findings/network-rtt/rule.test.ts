/** network-rtt cannot be provoked on a loopback lab (every node ~0.1 ms away): unit tests only. */
import {describe, expect, it} from 'vitest'

import {ENTRY, THRESHOLDS} from './catalog.js'
import {networkRtt} from './rule.js'
import {healthyEvidence, withNodes} from '../../../../test/helpers/evidence-builder.js'

describe('network-rtt', () => {
  it('is silent when every node answers alike', () => {
    expect(networkRtt(healthyEvidence())).toBeUndefined()
    expect(
      networkRtt(
        withNodes(healthyEvidence(), (n, i) => {
          n.rttMs = 0.1 + i * 0.3
        }),
      ),
    ).toBeUndefined()
  })

  it('warns when one node is >= 3 x the median of the others and >= 2 ms above it, listing RTTs', () => {
    const f = networkRtt(
      withNodes(healthyEvidence(), (n, i) => {
        n.rttMs = i === 4 ? 6.5 : 0.3 + i * 0.1
      }),
    )!
    expect(f.severity).toBe('warning')
    expect(f.title).toBe('127.0.0.1:7004 answers slowly: 6.5 ms round trip vs 0.5 ms for the other nodes')
    expect(f.evidence[0]).toBe('127.0.0.1:7004 (replica): 6.5 ms, 13 x the median of the other nodes (0.5 ms), +6 ms')
    expect(f.evidence[1]).toBe(
      'PING round trip per node (fastest of several): 127.0.0.1:7004 6.5 ms, 127.0.0.1:7005 0.8 ms, 127.0.0.1:7003 0.6 ms, 127.0.0.1:7002 0.5 ms, 127.0.0.1:7001 0.4 ms, 127.0.0.1:7000 0.3 ms',
    )
    expect(f.nodes).toEqual(['127.0.0.1:7004'])
    expect(f.metrics).toMatchObject({slowNodes: 1, maxRttMs: 6.5, othersMedianRttMs: 0.5})
    expect(f.remedy).toContain(ENTRY.remedy)
  })

  it('needs both the ratio and the absolute gap', () => {
    // 10 x but only +1.8 ms
    expect(
      networkRtt(
        withNodes(healthyEvidence(), (n, i) => {
          n.rttMs = i === 0 ? 2 : 0.2
        }),
      ),
    ).toBeUndefined()
    // +5 ms but only 1.5 x
    expect(
      networkRtt(
        withNodes(healthyEvidence(), (n, i) => {
          n.rttMs = i === 0 ? 15 : 10
        }),
      ),
    ).toBeUndefined()
  })

  it('ignores unreachable nodes and nodes without a measurement', () => {
    expect(
      networkRtt(
        withNodes(healthyEvidence(), (n, i) => {
          if (i === 0) {
            n.reachable = false
            n.rttMs = 500
          }
          if (i === 1) delete n.rttMs
        }),
      ),
    ).toBeUndefined()
  })

  it('singles out no node when half of them or more look slow (a busy rcdiag host), but does with two nodes', () => {
    expect(
      networkRtt(
        withNodes(healthyEvidence(), (n, i) => {
          n.rttMs = i < 3 ? 50 : 10
        }),
      ),
    ).toBeUndefined()
    const two = withNodes(healthyEvidence(), (n, i) => {
      n.rttMs = i < 2 ? 40 : 10
    })
    expect(networkRtt(two)!.nodes).toEqual(['127.0.0.1:7000', '127.0.0.1:7001'])
    const pair = healthyEvidence()
    pair.nodes = pair.nodes.slice(0, 2)
    pair.nodes[1].rttMs = 5
    expect(networkRtt(pair)!.title).toBe('127.0.0.1:7001 answers slowly: 5 ms round trip vs 0.2 ms for the other nodes')
  })

  it('is info when every node is far away (rcdiag runs far from the cluster)', () => {
    const f = networkRtt(
      withNodes(healthyEvidence(), (n, i) => {
        n.rttMs = 80 + i
      }),
    )!
    expect(f.severity).toBe('info')
    expect(f.title).toBe('rcdiag is far from the cluster: 82.5 ms median round trip to every node')
    // a standalone far away
    const one = healthyEvidence()
    one.nodes = [one.nodes[0]]
    one.nodes[0].rttMs = 60
    expect(networkRtt(one)!.severity).toBe('info')
  })

  it('documents its thresholds', () => {
    const d = ENTRY.detection
    expect(d).toContain(
      `>= ${THRESHOLDS.ratioToMedian} x the median of the other reachable nodes and >= ${THRESHOLDS.minExtraMs} ms above it`,
    )
    expect(d).toContain(`info when every reachable node is >= ${THRESHOLDS.absoluteInfoMs} ms away`)
    // the text says "half" in words: keep it in step with the fraction the rule uses
    expect(THRESHOLDS.slowNodesFraction).toBe(0.5)
    expect(d).toContain('such nodes are fewer than half of the nodes')
  })
})

describe('network-rtt on a busy host', () => {
  it('judges by the fastest PING: a node whose median was inflated by scheduling noise is not slow', () => {
    const ev = withNodes(healthyEvidence(), (node, i) => {
      node.rttMs = i === 0 ? 6.7 : 1.2
      node.rttMinMs = i === 0 ? 0.9 : 0.8
    })
    expect(networkRtt(ev)).toBeUndefined()
  })
})
