import {describe, expect, it} from 'vitest'

import {ADDRESSES, healthyEvidence, withNodes} from '../../../../test/helpers/evidence-builder.js'
import {diagnose} from '../engine.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {roleDisagreement} from './rule.js'

describe('role-disagreement', () => {
  it('stays silent when the topology and the nodes agree', () => {
    expect(roleDisagreement(healthyEvidence())).toBeUndefined()
  })

  it('names a node the topology calls a master that says it is a replica, with both counts', () => {
    // Right after a failover: the seed still lists the old master; it now replicates the promoted one.
    const ev = withNodes(healthyEvidence(), (n) => (n.role = 'replica'), [1])
    withNodes(ev, (n) => (n.role = 'master'), [4])
    const f = roleDisagreement(ev)!
    expect(f).toMatchObject({severity: 'warning', confidence: THRESHOLDS.demotedMasterConfidence, nodes: [ADDRESSES[1], ADDRESSES[4]]})
    expect(f.title).toContain(`${ADDRESSES[1]} (master in the topology, replica itself)`)
    expect(f.evidence[0]).toBe(`${ADDRESSES[1]}: the topology calls it a master; the node says it is a replica (INFO replication)`)
    expect(f.evidence.at(-1)).toBe(
      'the topology counts 3 masters and 3 replicas; the nodes themselves 3 masters and 3 replicas (the header and nodes table use the latter)',
    )
    expect(f.remedy).toContain(ENTRY.remedy)
  })

  it('a replica the topology calls a replica but that says master: the lower confidence, counts that differ', () => {
    const ev = withNodes(healthyEvidence(), (n) => (n.role = 'master'), [5])
    const f = roleDisagreement(ev)!
    expect(f.confidence).toBe(THRESHOLDS.confidence)
    expect(f.evidence.at(-1)).toContain('the nodes themselves 4 masters and 2 replicas')
  })

  it('judges only nodes that answered and whose roles are known', () => {
    const ev = withNodes(
      healthyEvidence(),
      (n) => {
        n.reachable = false
        n.role = 'replica'
      },
      [0],
    )
    withNodes(ev, (n) => (n.role = 'unknown'), [1])
    withNodes(ev, (n) => (n.announcedRole = undefined), [2])
    expect(roleDisagreement(ev)).toBeUndefined()
  })

  it('is not for a standalone server', () => {
    const ev = withNodes(healthyEvidence(), (n) => (n.role = 'replica'), [0])
    expect(roleDisagreement({...ev, mode: 'standalone'})).toBeUndefined()
  })

  it('documents its confidences', () => {
    expect(ENTRY.detection).toContain(`Confidence ${THRESHOLDS.confidence}, ${THRESHOLDS.demotedMasterConfidence}`)
    expect(diagnose(healthyEvidence()).map((f) => f.id)).not.toContain('role-disagreement')
  })
})
