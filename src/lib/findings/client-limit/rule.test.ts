import {describe, expect, it} from 'vitest'

import {ENTRY, THRESHOLDS} from './catalog.js'
import {clientLimit} from './rule.js'
import {healthyEvidence, quietSample, sampleByNode, withConfig, withNodes} from '../../../../test/helpers/evidence-builder.js'

describe('client-limit', () => {
  it('is silent on a healthy cluster, with or without a quiet sample', () => {
    expect(clientLimit(healthyEvidence())).toBeUndefined()
    expect(clientLimit({...healthyEvidence(), sample: quietSample()})).toBeUndefined()
  })

  it('warns on connections rejected since start', () => {
    const f = clientLimit(
      withNodes(
        withConfig(healthyEvidence(), 'maxclients', 20, [0]),
        (n) => {
          n.stats.rejectedConnections = 5
          n.stats.connectedClients = 11
        },
        [0],
      ),
    )!
    expect(f.severity).toBe('warning')
    expect(f.title).toBe('127.0.0.1:7000 rejected 5 connection(s) since start (maxclients 20)')
    expect(f.evidence).toEqual([
      '127.0.0.1:7000 (master): 11/20 clients connected (55% of maxclients), 5 connection(s) rejected since start',
    ])
    expect(f.nodes).toEqual(['127.0.0.1:7000'])
    expect(f.metrics).toMatchObject({rejectedConnections: 5, rejectedConnectionsPerSec: 0, connectedClients: 11, maxclients: 20})
    expect(f.remedy).toContain(ENTRY.remedy)
    expect(f.confidence).toBe(THRESHOLDS.warningConfidence)
  })

  it('is critical when connections are rejected during the sample', () => {
    const ev = withNodes(
      healthyEvidence(),
      (n) => {
        n.stats.rejectedConnections = 300
      },
      [1],
    )
    ev.sample = sampleByNode({1: {rejectedConnectionsPerSec: 4.5}})
    const f = clientLimit(ev)!
    expect(f.severity).toBe('critical')
    expect(f.title).toBe('Connections are being rejected: 4.5/s on 127.0.0.1:7001 (maxclients 10000)')
    expect(f.evidence[0]).toContain('4.5 rejected/s during the sample')
    expect(f.metrics).toMatchObject({rejectedConnectionsPerSec: 4.5})
  })

  it('warns from 80% of maxclients, critical from 95%', () => {
    const near = clientLimit(
      withNodes(
        healthyEvidence(),
        (n) => {
          n.stats.connectedClients = 8000
        },
        [2],
      ),
    )!
    expect(near.severity).toBe('warning')
    expect(near.title).toBe('127.0.0.1:7002 is at 80% of maxclients (8000/10000)')
    expect(near.metrics).toMatchObject({maxClientsFraction: 0.8})
    const full = clientLimit(
      withNodes(
        healthyEvidence(),
        (n, i) => {
          n.stats.connectedClients = i === 2 ? 8100 : 9600
        },
        [2, 5],
      ),
    )!
    expect(full.severity).toBe('critical')
    expect(full.title).toContain('127.0.0.1:7005 is at 96% of maxclients')
    expect(full.nodes).toEqual(['127.0.0.1:7005', '127.0.0.1:7002'])
    expect(
      clientLimit(
        withNodes(
          healthyEvidence(),
          (n) => {
            n.stats.connectedClients = 7999
          },
          [2],
        ),
      ),
    ).toBeUndefined()
  })

  it('ignores unreachable nodes and unknown maxclients', () => {
    expect(
      clientLimit(
        withNodes(withConfig(healthyEvidence(), 'maxclients', 'unknown'), (n) => {
          n.stats.connectedClients = 50_000
        }),
      ),
    ).toBeUndefined()
    expect(
      clientLimit(
        withNodes(
          healthyEvidence(),
          (n) => {
            n.reachable = false
            n.stats.rejectedConnections = 9
          },
          [0],
        ),
      ),
    ).toBeUndefined()
  })

  it('documents its thresholds', () => {
    const d = ENTRY.detection
    expect(d).toContain(`>= ${THRESHOLDS.nearMaxclientsFraction * 100}% of maxclients`)
    expect(d).toContain(`>= ${THRESHOLDS.criticalMaxclientsFraction * 100}% of its maxclients`)
  })
})
