import {describe, expect, it} from 'vitest'

import {ADDRESSES, healthyEvidence, withNodes} from '../../../../test/helpers/evidence-builder.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {mixedVersions} from './rule.js'

describe('mixed-versions', () => {
  it('stays silent when every node runs the same version', () => {
    expect(mixedVersions(healthyEvidence())).toBeUndefined()
  })

  it('an upgrade half done: every version with its masters and replicas, most nodes first', () => {
    const ev = withNodes(healthyEvidence(), (n) => (n.server = {vendor: 'valkey', version: '8.0.1'}), [3, 4, 5, 0])
    const f = mixedVersions(ev)!
    expect(f).toMatchObject({id: 'mixed-versions', severity: 'info', confidence: THRESHOLDS.confidence, metrics: {versions: 2}})
    expect(f.title).toBe('Nodes run 2 server versions: Valkey 8.0.1 on 4, Redis 7.0.15 on 2')
    expect(f.evidence).toEqual([
      `Valkey 8.0.1: 1 master(s) (${ADDRESSES[0]}), 3 replica(s) (${ADDRESSES[3]}, ${ADDRESSES[4]}, ${ADDRESSES[5]})`,
      `Redis 7.0.15: 2 master(s) (${ADDRESSES[1]}, ${ADDRESSES[2]}), 0 replica(s)`,
    ])
    expect(f.remedy).toContain(ENTRY.remedy)
  })

  it('counts only nodes that answered with a known server', () => {
    const ev = withNodes(healthyEvidence(), (n) => (n.server = {vendor: 'redis', version: '6.2.16'}), [5])
    withNodes(ev, (n) => (n.reachable = false), [5])
    withNodes(ev, (n) => (n.server = undefined), [4])
    expect(mixedVersions(ev)).toBeUndefined()
  })
})
