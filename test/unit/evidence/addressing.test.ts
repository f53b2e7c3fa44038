import {describe, expect, it} from 'vitest'

import {addressingProblem, analyseAddressing} from '../../../src/lib/evidence/addressing.js'
import type {NodeEvidence} from '../../../src/lib/evidence/types.js'
import type {SeedView, Topology} from '../../../src/lib/redis/topology.js'
import {healthyNode, MASTER_IDS, REPLICA_IDS} from '../../helpers/evidence-builder.js'

/** A cluster that announces 10.0.0.x:7000..7005 while the seed was reached at 127.0.0.1:7000. */
const ANNOUNCED = [0, 1, 2, 3, 4, 5].map((i) => `10.0.0.${i + 1}:${7000 + i}`)
const IDS = [...MASTER_IDS, ...REPLICA_IDS]
const topology: Topology = {
  mode: 'cluster',
  source: 'cluster shards',
  nodes: ANNOUNCED.map((address, i) => ({
    address,
    host: address.split(':')[0],
    port: 7000 + i,
    id: IDS[i],
    role: i < 3 ? 'master' : 'replica',
    failed: false,
    slots: [],
  })),
}
const seed: SeedView = {address: '127.0.0.1:7000', id: IDS[0], clusterState: 'ok', slotsOk: 16384}

function nodes(change: (node: NodeEvidence, i: number) => void = () => {}): NodeEvidence[] {
  return ANNOUNCED.map((address, i) => {
    const node = {...healthyNode(i), address}
    change(node, i)
    return node
  })
}
const refused = (node: NodeEvidence) => {
  node.reachable = false
  node.error = 'connection refused'
}

describe('analyseAddressing', () => {
  it('every announced address refused while the seed answered: the addresses are at fault, with a NAT map to try', () => {
    const a = analyseAddressing(seed, [], topology, nodes(refused))
    expect(a).toMatchObject({unusable: true, seedAnnouncedAs: ANNOUNCED[0], seedClusterState: 'ok', mappedNodes: 0})
    expect(a.failing.map((f) => f.address)).toEqual(ANNOUNCED)
    expect(a.failing[0]).toEqual({address: ANNOUNCED[0], reason: 'connection refused'})
    // the seed's announced port is the one it answered at: another host, same port
    expect(a.suggestedNatMap).toBe('10.0.0.1=127.0.0.1')
  })

  it("the seed's own node unreachable at its announced address is enough, even when others answer", () => {
    const a = analyseAddressing(
      seed,
      [],
      topology,
      nodes((n, i) => i === 0 && refused(n)),
    )
    expect(a.unusable).toBe(true)
    expect(a.failing.map((f) => f.address)).toEqual([ANNOUNCED[0]])
  })

  it('a port forward to the wrong node: the address is at fault even though something answered', () => {
    const a = analyseAddressing(
      seed,
      [],
      topology,
      nodes((n, i) => {
        if (i !== 2) return
        refused(n)
        n.error = 'node d4000000 answered here, not c3000000 as the cluster announces'
        n.answeredAs = {id: IDS[3], announcedAs: ANNOUNCED[3]}
      }),
    )
    expect(a.unusable).toBe(true)
    expect(a.failing).toEqual([expect.objectContaining({address: ANNOUNCED[2], answeredAs: {id: IDS[3], announcedAs: ANNOUNCED[3]}})])
  })

  it('one dead node among answering ones, the seed reachable where announced: a node problem, not addressing', () => {
    const announcedHere: Topology = {...topology, nodes: topology.nodes.map((n, i) => (i === 0 ? {...n, address: seed.address} : n))}
    const list = nodes((n, i) => {
      if (i === 0) n.address = seed.address
      if (i === 4) refused(n)
    })
    const a = analyseAddressing(seed, [], announcedHere, list)
    expect(a).toMatchObject({unusable: false, failing: [], seedAnnouncedAs: seed.address})
    expect(a.suggestedNatMap).toBeUndefined()
  })

  it('stuck nodes answered: never an addressing fault', () => {
    const a = analyseAddressing(
      seed,
      [],
      topology,
      nodes((n) => {
        n.reachable = false
        n.blocked = {kind: 'busy', reason: 'BUSY'}
      }),
    )
    expect(a.unusable).toBe(false)
  })

  it('counts the nodes reached through --nat-map and keeps where they were reached', () => {
    const list = nodes((n, i) => (n.connectedAt = `127.0.0.1:${7000 + i}`))
    expect(analyseAddressing(seed, ['10.0.0.1=127.0.0.1'], topology, list)).toMatchObject({
      unusable: false,
      natMap: ['10.0.0.1=127.0.0.1'],
      mappedNodes: 6,
    })
  })

  it('a shifted port suggests a mapping of that address (one per node)', () => {
    const shifted = {...seed, address: '10.0.0.1:17000'}
    expect(analyseAddressing(shifted, [], topology, nodes(refused)).suggestedNatMap).toBe('10.0.0.1:7000=10.0.0.1:17000')
  })

  it('standalone servers have no announced addresses', () => {
    expect(analyseAddressing(seed, [], {...topology, mode: 'standalone'}, nodes(refused)).unusable).toBe(false)
  })
})

describe('addressingProblem', () => {
  it('one line with the first addresses, the seed and the way out; nothing when the addresses work', () => {
    const line = addressingProblem(analyseAddressing(seed, [], topology, nodes(refused)))!
    expect(line).toBe(
      "the cluster's announced addresses are unreachable from here: 10.0.0.1:7000 (connection refused), 10.0.0.2:7001 (connection refused), " +
        '10.0.0.3:7002 (connection refused) and 3 more; the seed answered at 127.0.0.1:7000, announced as 10.0.0.1:7000; ' +
        'try --nat-map 10.0.0.1=127.0.0.1 (rcdiag probe shows the details)',
    )
    expect(line).not.toContain('\n')
    expect(addressingProblem(analyseAddressing(seed, [], topology, nodes()))).toBeUndefined()
  })
})
