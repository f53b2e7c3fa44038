import {describe, expect, it} from 'vitest'

import {ENTRY, THRESHOLDS} from './catalog.js'
import {recentFailover} from './rule.js'
import {healthyEvidence, quietSample, sampleByNode, withNodes} from '../../../../test/helpers/evidence-builder.js'

describe('recent-failover', () => {
  it('is silent on a healthy cluster, with or without a quiet sample', () => {
    expect(recentFailover(healthyEvidence())).toBeUndefined()
    expect(recentFailover({...healthyEvidence(), sample: quietSample()})).toBeUndefined()
  })

  it('warns on a role flip or epoch bump during the sample', () => {
    const ev = healthyEvidence()
    ev.sample = sampleByNode({}, [
      {address: '127.0.0.1:7003', what: 'config epoch 0 -> 7', kind: 'epoch'},
      {address: '127.0.0.1:7003', what: 'role slave -> master', kind: 'role'},
    ])
    const f = recentFailover(ev)!
    expect(f.severity).toBe('warning')
    expect(f.confidence).toBe(THRESHOLDS.changeConfidence)
    expect(f.title).toBe('Failover during the sample: 127.0.0.1:7003 role slave -> master (+1 more change(s))')
    expect(f.evidence).toContain('127.0.0.1:7003: config epoch 0 -> 7')
    expect(f.nodes).toEqual(['127.0.0.1:7003'])
    expect(f.metrics).toMatchObject({changesDuringSample: 2})
  })

  it('warns on a replica whose master link is down, with the duration', () => {
    const f = recentFailover(
      withNodes(
        healthyEvidence(),
        (n) => {
          n.stats.masterLinkUp = 0
          n.stats.masterLinkDownSinceSeconds = 35
        },
        [4],
      ),
    )!
    expect(f.severity).toBe('warning')
    expect(f.title).toBe('Replication link down on 1 replica(s): 127.0.0.1:7004 for 35 s')
    expect(f.evidence).toContain('127.0.0.1:7004 (replica): master_link_status down for 35 s')
    expect(f.metrics).toMatchObject({replicasLinkDown: 1, maxLinkDownSeconds: 35})
    expect(f.remedy).toContain(ENTRY.remedy)
  })

  it('warns on a master promoted less than an hour ago; info when it has been up longer', () => {
    const recent = recentFailover(
      withNodes(
        healthyEvidence(),
        (n) => {
          n.stats.promotedSinceStart = 1
          n.stats.uptimeSeconds = 600
        },
        [1],
      ),
    )!
    expect(recent.severity).toBe('warning')
    expect(recent.title).toBe('127.0.0.1:7001 became master recently (promoted from replica, up 10.0 min)')
    expect(recent.evidence[0]).toContain(
      '127.0.0.1:7001 (master): promoted from replica since it started (master_replid2 set), up 10.0 min, 1 replica(s) connected',
    )
    expect(recent.metrics).toMatchObject({mastersPromoted: 1, mastersPromotedRecently: 1})

    const old = recentFailover(
      withNodes(
        healthyEvidence(),
        (n) => {
          n.stats.promotedSinceStart = 1
        },
        [1],
      ),
    )!
    expect(old.severity).toBe('info')
    expect(old.evidence.join('\n')).toContain('up 10.0 d')
    expect(old.evidence.join('\n')).toContain('the promotion may be old')
  })

  it('is info when nodes disagree on the current epoch, naming the nodes behind', () => {
    const f = recentFailover(
      withNodes(
        healthyEvidence(),
        (n) => {
          n.currentEpoch = 7
        },
        [0, 1, 2, 3],
      ),
    )!
    expect(f.severity).toBe('info')
    expect(f.title).toContain('(6 vs 7)')
    expect(f.evidence[0]).toBe(
      'cluster_current_epoch 6 on 127.0.0.1:7004, 127.0.0.1:7005; 7 on 127.0.0.1:7000, 127.0.0.1:7001, 127.0.0.1:7002, 127.0.0.1:7003',
    )
    expect(f.nodes).toEqual(['127.0.0.1:7004', '127.0.0.1:7005'])
    expect(f.metrics).toMatchObject({currentEpochMin: 6, currentEpochMax: 7, nodesBehindEpoch: 2})
  })

  it('a failover seen from every side: the sample leads, all signals in the evidence', () => {
    const ev = withNodes(healthyEvidence(), (n, i) => {
      if (i === 3) {
        n.role = 'master'
        n.stats = {...n.stats, promotedSinceStart: 1, uptimeSeconds: 30, masterLinkUp: undefined}
        n.currentEpoch = 7
      }
      if (i === 0) {
        n.role = 'replica'
        n.stats = {...n.stats, masterLinkUp: 0, masterLinkDownSinceSeconds: 2}
      }
    })
    ev.sample = sampleByNode({}, [{address: '127.0.0.1:7003', what: 'role slave -> master', kind: 'role'}])
    const f = recentFailover(ev)!
    expect(f.severity).toBe('warning')
    expect(f.title).toMatch(/^Failover during the sample/)
    expect(f.nodes).toEqual(expect.arrayContaining(['127.0.0.1:7003', '127.0.0.1:7000']))
    expect(f.metrics).toMatchObject({changesDuringSample: 1, replicasLinkDown: 1, mastersPromotedRecently: 1, nodesBehindEpoch: 5})
  })

  it('documents its thresholds', () => {
    expect(ENTRY.detection).toContain(`less than ${THRESHOLDS.recentUptimeSec} s`)
  })

  it('a node that only stopped answering during the sample, with no role or epoch change, is no failover', () => {
    const ev = healthyEvidence()
    ev.sample = sampleByNode({}, [{address: '127.0.0.1:7001', what: 'stopped answering', kind: 'reachability'}])
    expect(recentFailover(ev)).toBeUndefined()
  })
})
