import {describe, expect, it} from 'vitest'

import {slotMapDisagreement} from './rule.js'
import {ADDRESSES, healthyEvidence, MASTER_IDS} from '../../../../test/helpers/evidence-builder.js'

describe('slot-map-disagreement', () => {
  it('is silent when views agree', () => {
    expect(slotMapDisagreement(healthyEvidence())).toBeUndefined()
  })

  it('ignores unreachable nodes and nodes without a view', () => {
    const ev = healthyEvidence()
    ev.nodes[5].slotOwners = [{start: 0, end: 16383, ownerId: MASTER_IDS[2], ownerAddress: ADDRESSES[2]}]
    ev.nodes[5].reachable = false
    ev.nodes[4].slotOwners = []
    delete ev.nodes[3].slotOwners
    expect(slotMapDisagreement(ev)).toBeUndefined()
  })

  it('does not count a slot missing from one view as disagreement', () => {
    const ev = healthyEvidence()
    ev.nodes[3].slotOwners = ev.nodes[3].slotOwners!.slice(1)
    expect(slotMapDisagreement(ev)).toBeUndefined()
  })

  it('is critical and names the slots, an example and the minority node', () => {
    const ev = healthyEvidence()
    // node 7004 still believes 7000 owns 5461-5560 (it missed a resharding)
    ev.nodes[4].slotOwners = [
      {start: 0, end: 5560, ownerId: MASTER_IDS[0], ownerAddress: ADDRESSES[0]},
      {start: 5561, end: 10922, ownerId: MASTER_IDS[1], ownerAddress: ADDRESSES[1]},
      {start: 10923, end: 16383, ownerId: MASTER_IDS[2], ownerAddress: ADDRESSES[2]},
    ]
    ev.nodes[4].currentEpoch = 5
    const f = slotMapDisagreement(ev)!
    expect(f.severity).toBe('critical')
    expect(f.confidence).toBe(0.9)
    expect(f.evidence[0]).toBe('100 slot(s) with different owners across 6 node views: 5461-5560')
    expect(f.evidence[1]).toContain('example slot 5461: 127.0.0.1:7000 says b2000000 (127.0.0.1:7001), epoch 6 (and 4 more node(s))')
    expect(f.evidence[1]).toContain('127.0.0.1:7004 says a1000000 (127.0.0.1:7000), epoch 5')
    expect(f.evidence).toContain('127.0.0.1:7004 holds a minority or tied view on 100 slot(s)')
    expect(f.nodes).toEqual(['127.0.0.1:7004'])
    expect(f.metrics).toMatchObject({slotsInDisagreement: 100, nodesCompared: 6, nodesDisagreeing: 1, exampleSlot: 5461})
  })

  it('lowers confidence while slots migrate', () => {
    const ev = healthyEvidence()
    ev.nodes[4].slotOwners![0] = {start: 0, end: 5460, ownerId: MASTER_IDS[1], ownerAddress: ADDRESSES[1]}
    ev.nodes[0].migrating = [{slot: 10, toNodeId: MASTER_IDS[1]}]
    const f = slotMapDisagreement(ev)!
    expect(f.confidence).toBe(0.6)
    expect(f.metrics!.slotsInDisagreement).toBe(5461)
  })
})
