import {describe, expect, it} from 'vitest'
import {parseClusterShards} from '../../../src/lib/parse/index.js'
import {fixtureJson} from './fixtures.js'

describe('parseClusterShards (real CLUSTER SHARDS from 7.0.15)', () => {
  const shards = parseClusterShards(fixtureJson('cluster-shards.json'))

  it('reads three shards of one master and one replica', () => {
    expect(shards).toHaveLength(3)
    expect(shards.map((s) => s.slots)).toEqual([[[10923, 16383]], [[5461, 10922]], [[0, 5460]]])
    expect(shards.every((s) => s.nodes.map((n) => n.role).join() === 'master,replica')).toBe(true)
  })

  it('reads node fields, with hostname only where announced and no tls-port without TLS', () => {
    const [master, replica] = shards[2].nodes
    expect(master).toEqual({
      id: '365188f03f378a848e41b0af81fe544e3f8ba36a',
      port: 17140,
      ip: '127.0.0.1',
      endpoint: '127.0.0.1',
      role: 'master',
      replicationOffset: 513,
      health: 'online',
    })
    expect(replica).toMatchObject({port: 17144, role: 'replica', replicationOffset: 513, health: 'online'})
    expect(shards[1].nodes[0].hostname).toBe('node-b.rcdiag.test')
    expect(shards.flatMap((s) => s.nodes).every((n) => n.tlsPort === undefined)).toBe(true)
  })

  it('shows fresh replicas as "loading" and failed ones as "fail"', () => {
    const fresh = parseClusterShards(fixtureJson('cluster-shards-fresh.json'))
    expect(
      fresh
        .flatMap((s) => s.nodes)
        .filter((n) => n.role === 'replica')
        .map((n) => n.health),
    ).toEqual(['loading', 'loading', 'loading'])
    const failed = parseClusterShards(fixtureJson('cluster-shards-failed-replica.json'))
    expect(failed[2].nodes[1]).toMatchObject({port: 17144, health: 'fail'})
  })
})

describe('CLUSTER SHARDS edge cases', () => {
  it('reads several slot ranges, tls-port, an empty shard and the resp3 object mapping', () => {
    const [a, b] = parseClusterShards([
      [
        'slots',
        [0, 10, 20, 20],
        'nodes',
        [['id', 'x', 'tls-port', 6380, 'ip', '::1', 'role', 'master', 'replication-offset', '7', 'health', 'online']],
      ],
      {slots: [], nodes: [{id: 'y', ip: '10.0.0.2', port: '6379', role: 'replica', health: 'loading'}]},
    ])
    expect(a).toEqual({
      slots: [
        [0, 10],
        [20, 20],
      ],
      nodes: [{id: 'x', tlsPort: 6380, ip: '::1', role: 'master', replicationOffset: 7, health: 'online'}],
    })
    expect(b.slots).toEqual([])
    expect(b.nodes[0]).toMatchObject({port: 6379, replicationOffset: 0, role: 'replica'})
  })

  it('throws clear errors', () => {
    expect(() => parseClusterShards(undefined)).toThrow('CLUSTER SHARDS reply: expected the reply to be an array, got undefined')
    expect(() => parseClusterShards([['slots']])).toThrow(
      'CLUSTER SHARDS reply: expected key/value pairs in shard 0, got an odd length of 1',
    )
    expect(() => parseClusterShards([['slots', [1], 'nodes', []]])).toThrow('CLUSTER SHARDS reply: shard 0 slots has an odd length of 1')
    expect(() => parseClusterShards([['slots', [], 'nodes', 'x']])).toThrow(/shard 0 nodes to be an array/)
  })
})
