import {describe, expect, it} from 'vitest'

import {THRESHOLDS} from './catalog.js'
import {clusterStateFail} from './rule.js'
import {healthyEvidence} from '../../../../test/helpers/evidence-builder.js'

describe('cluster-state-fail', () => {
  it('is silent on a healthy cluster and in standalone mode', () => {
    expect(clusterStateFail(healthyEvidence())).toBeUndefined()
    const standalone = healthyEvidence()
    standalone.mode = 'standalone'
    standalone.nodes[0].reachable = false
    expect(clusterStateFail(standalone)).toBeUndefined()
  })

  it('is critical on state fail with uncovered slots', () => {
    const ev = healthyEvidence()
    ev.cluster = {state: 'fail', slotsCovered: 10923, masters: 2, replicas: 3, topologySource: 'cluster shards'}
    ev.nodes[0].clusterState = 'fail'
    const f = clusterStateFail(ev)!
    expect(f.severity).toBe('critical')
    expect(f.title).toContain('5461 slot(s) uncovered')
    expect(f.evidence).toContain('cluster_state fail')
    expect(f.evidence).toContain('10923/16384 slots covered: 5461 uncovered')
    expect(f.evidence).toContain('127.0.0.1:7000 reports cluster_state fail')
    expect(f.metrics).toMatchObject({slotsCovered: 10923, slotsUncovered: 5461, nodesStateNotOk: 1})
    expect(f.confidence).toBe(THRESHOLDS.criticalConfidence)
  })

  it('is critical when a node reports slots in FAIL', () => {
    const ev = healthyEvidence()
    ev.nodes[4].clusterSlotsFail = 5461
    const f = clusterStateFail(ev)!
    expect(f.severity).toBe('critical')
    expect(f.nodes).toEqual(['127.0.0.1:7004'])
    expect(f.metrics).toMatchObject({slotsFail: 5461})
  })

  it('warns when only a node is unreachable or pfail', () => {
    const ev = healthyEvidence()
    ev.nodes[5].reachable = false
    ev.nodes[5].error = 'connect ETIMEDOUT'
    ev.nodes[1].clusterSlotsPfail = 5461
    const f = clusterStateFail(ev)!
    expect(f.severity).toBe('warning')
    expect(f.evidence).toContain('127.0.0.1:7005 (replica) unreachable from rcdiag: connect ETIMEDOUT')
    expect(f.evidence).toContain('127.0.0.1:7001 reports cluster_slots_pfail 5461')
    expect(f.nodes).toEqual(['127.0.0.1:7001', '127.0.0.1:7005'])
    expect(f.metrics).toMatchObject({unreachableNodes: 1, slotsPfail: 5461})
    expect(f.confidence).toBe(THRESHOLDS.warningConfidence)
  })
})

describe('cluster-state-fail and addresses unreachable from here', () => {
  it('an unknown state is no failure, and nodes whose announced address is at fault are not called down', () => {
    const ev = healthyEvidence()
    ev.cluster = {...ev.cluster!, state: 'unknown'}
    expect(clusterStateFail(ev)).toBeUndefined()
    ev.nodes[0].reachable = false
    ev.nodes[0].error = 'connection refused'
    ev.addressing = {
      seed: '10.0.0.1:7000',
      natMap: [],
      mappedNodes: 0,
      unusable: true,
      failing: [{address: ev.nodes[0].address, reason: 'connection refused'}],
    }
    expect(clusterStateFail(ev)).toBeUndefined()
    // a node down for another reason still is
    ev.nodes[4].reachable = false
    expect(clusterStateFail(ev)?.nodes).toEqual([ev.nodes[4].address])
  })
})
