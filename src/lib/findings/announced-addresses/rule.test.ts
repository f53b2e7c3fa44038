import {describe, expect, it} from 'vitest'

import {ADDRESSES, healthyEvidence, MASTER_IDS, REPLICA_IDS, withNodes} from '../../../../test/helpers/evidence-builder.js'
import type {AddressingEvidence, ProbeEvidence} from '../../evidence/types.js'
import {diagnose} from '../engine.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {announcedAddresses} from './rule.js'

const SEED = '192.168.1.10:7000'

/** Every node announced at 127.0.0.1:700x, refused from here; the seed answered at SEED. */
function natted(): ProbeEvidence {
  const ev = withNodes(healthyEvidence(), (n) => {
    n.reachable = false
    n.error = 'connection refused'
  })
  ev.seed = SEED
  ev.cluster = {...ev.cluster!, stateFrom: 'seed'}
  ev.addressing = {
    seed: SEED,
    seedId: MASTER_IDS[0],
    seedAnnouncedAs: ADDRESSES[0],
    seedClusterState: 'ok',
    natMap: [],
    mappedNodes: 0,
    unusable: true,
    failing: ADDRESSES.map((address) => ({address, reason: 'connection refused'})),
    suggestedNatMap: '127.0.0.1=192.168.1.10',
  }
  return ev
}

describe('announced-addresses', () => {
  it('is silent when the addresses work, and on a standalone server', () => {
    expect(announcedAddresses(healthyEvidence())).toBeUndefined()
    const ev = healthyEvidence()
    ev.addressing = {...natted().addressing!, unusable: false, failing: [], suggestedNatMap: undefined}
    expect(announcedAddresses(ev)).toBeUndefined()
  })

  it('names the addresses, the seed that answered, the cluster state, and the --nat-map to try; first of all findings', () => {
    const ev = natted()
    const f = announcedAddresses(ev)!
    expect(f).toMatchObject({id: ENTRY.id, severity: 'critical', confidence: THRESHOLDS.confidence, nodes: ADDRESSES})
    expect(f.title).toBe(
      "The cluster's announced addresses are unreachable from here: 6 of 6 do not answer; the seed 192.168.1.10:7000 answered (the cluster says cluster_state ok)",
    )
    expect(f.evidence[0]).toBe(
      'the seed answered at 192.168.1.10:7000 as node a1000000, which the cluster announces as 127.0.0.1:7000 (cluster_state ok)',
    )
    expect(f.evidence.slice(1, 7)).toEqual(ADDRESSES.map((a) => `${a}: connection refused`))
    expect(f.evidence.at(-1)).toMatch(/Any cluster client on this host .* fails the same way/)
    expect(f.remedy).toMatch(/^Here: .* try `--nat-map 127\.0\.0\.1=192\.168\.1\.10` \(every port of that host\)\. Make the nodes announce/)
    expect(f.remedy).toContain('cluster-announce-ip')
    expect(f.remedy).toContain('cluster-preferred-endpoint-type')
    expect(f.remedy).toContain('natMap')
    expect(f.metrics).toEqual({announcedUnreachable: 6, announcedWrongNode: 0, natRules: 0, mappedNodes: 0})
    // ranked first, and the cluster is not called down for it
    const findings = diagnose(ev)
    expect(findings[0].id).toBe(ENTRY.id)
    expect(findings.map((x) => x.id)).not.toContain('cluster-state-fail')
  })

  it('an address leading to another node says which node answered there; a shifted port asks for one mapping per node', () => {
    const ev = natted()
    const addressing: AddressingEvidence = {
      ...ev.addressing!,
      seed: '127.0.0.1:17000',
      natMap: ['127.0.0.1:7000=127.0.0.1:17001'],
      mappedNodes: 1,
      failing: [
        {
          address: ADDRESSES[0],
          connectedAt: '127.0.0.1:17001',
          reason: 'wrong node',
          answeredAs: {id: REPLICA_IDS[0], announcedAs: ADDRESSES[3]},
        },
      ],
      suggestedNatMap: '127.0.0.1:7000=127.0.0.1:17000',
    }
    ev.addressing = addressing
    const f = announcedAddresses(ev)!
    expect(f.title).toContain('1 of 6 lead to another node')
    expect(f.evidence).toContain(
      '127.0.0.1:7000 (reached via --nat-map at 127.0.0.1:17001): another node answered (id d4000000, which the cluster announces at 127.0.0.1:7003)',
    )
    expect(f.evidence).toContain('--nat-map used: 127.0.0.1:7000=127.0.0.1:17001 (1 of 6 node(s) reached at a mapped address)')
    expect(f.remedy).toContain('`--nat-map 127.0.0.1:7000=127.0.0.1:17000` and one such mapping per node.')
  })

  it('lists at most a few addresses and counts the rest', () => {
    const ev = natted()
    ev.addressing!.failing = Array.from({length: 10}, (_, i) => ({address: `10.0.0.${i}:6379`, reason: 'timed out'}))
    const f = announcedAddresses(ev)!
    expect(f.evidence.filter((line) => line.endsWith(': timed out'))).toHaveLength(THRESHOLDS.maxListed)
    expect(f.evidence).toContain(`… and ${10 - THRESHOLDS.maxListed} more announced address(es) likewise`)
  })
})
