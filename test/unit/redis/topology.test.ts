/**
 * Topology discovery's fallbacks: CLUSTER SHARDS (Redis 7), else CLUSTER NODES, else CLUSTER SLOTS,
 * and "cluster support disabled" as a standalone server. The seed is a stand-in that answers
 * `call('CLUSTER', …)` with replies captured from real Redis 7.0.15 (test/fixtures/redis7) or with
 * the error replies a Redis 6 server or an ACL gives; the fallback logic under test is the real one.
 */
import {ReplyError} from 'ioredis'
import {describe, expect, it} from 'vitest'

import type {Connection} from '../../../src/lib/redis/connection.js'
import {discoverTopology, type Topology, type TopologyNode} from '../../../src/lib/redis/topology.js'
import {fixtureJson, fixtureText} from '../parse/fixtures.js'

type Subcommand = 'SHARDS' | 'NODES' | 'SLOTS'

/** What the seed answers to CLUSTER <subcommand>: a reply, or an error it rejects with. */
type Script = Partial<Record<Subcommand, unknown>>

function fakeSeed(script: Script): {seed: Connection; calls: string[]} {
  const calls: string[] = []
  const stub = {
    async call(command: string, subcommand: string): Promise<unknown> {
      calls.push(`${command} ${subcommand}`)
      if (command !== 'CLUSTER' || !(subcommand in script)) throw new Error(`unexpected call ${command} ${subcommand}`)
      const reply = script[subcommand as Subcommand]
      if (reply instanceof Error) throw reply
      return reply
    },
  }
  // discoverTopology only ever uses call(); the stand-in has nothing else of ioredis' Redis.
  return {seed: stub as unknown as Connection, calls}
}

// Error replies as the servers word them: NOPERM, cluster-disabled and the 7.0 unknown-subcommand text checked against
// redis-server 7.0.15; the Redis 6.2 unknown-subcommand text is 6.2's addReplySubcommandSyntaxError wording.
const REDIS6_UNKNOWN_SHARDS = () => new ReplyError("ERR Unknown subcommand or wrong number of arguments for 'SHARDS'. Try CLUSTER HELP.")
const REDIS7_UNKNOWN_SUBCOMMAND = () => new ReplyError("ERR unknown subcommand 'shards'. Try CLUSTER HELP.")
const NOPERM = (sub: string) => new ReplyError(`NOPERM this user has no permissions to run the 'cluster|${sub}' command`)
const CLUSTER_DISABLED = () => new ReplyError('ERR This instance has cluster support disabled')

// Node ids of the captured 3+3 cluster on 127.0.0.1:17140-17145.
const ID = {
  17140: '365188f03f378a848e41b0af81fe544e3f8ba36a',
  17141: '7e0433b93bb3c3f45e461247c7e4af83c60bb62b',
  17142: '7c3a04c474df96e33c398e7ca34cfd7299bfaddb',
  17143: 'f6f424205883e6eabde53aba2a7b70bcecce7017',
  17144: 'a885142c9a4164733335c09ae43d8a905007619d',
  17145: '141c448f3cf655698db414a2277ac98460d2c4ea',
} as const

const SEED_HOST = '127.0.0.1'
const SEED_PORT = 17140

const discover = (script: Script, useTls = false, host = SEED_HOST, port = SEED_PORT) => {
  const {seed, calls} = fakeSeed(script)
  return {result: discoverTopology(seed, host, port, useTls), calls}
}

const addresses = (topology: Topology) => topology.nodes.map((n) => n.address)
const byPort = (topology: Topology, port: number): TopologyNode => {
  const node = topology.nodes.find((n) => n.port === port)
  if (!node) throw new Error(`no node on port ${port} in ${addresses(topology).join(', ')}`)
  return node
}

/** The captured cluster as every source should describe it: masters first, then by address. */
const CAPTURED_ORDER = [17140, 17141, 17142, 17143, 17144, 17145].map((port) => `127.0.0.1:${port}`)
const CAPTURED_ROLES: Array<[number, 'master' | 'replica', string | undefined, Array<[number, number]>]> = [
  [17140, 'master', undefined, [[0, 5460]]],
  [17141, 'master', undefined, [[5461, 10922]]],
  [17142, 'master', undefined, [[10923, 16383]]],
  [17143, 'replica', ID[17142], []],
  [17144, 'replica', ID[17140], []],
  [17145, 'replica', ID[17141], []],
]

function expectCapturedCluster(topology: Topology): void {
  expect(topology.mode).toBe('cluster')
  expect(addresses(topology)).toEqual(CAPTURED_ORDER)
  for (const [port, role, masterId, slots] of CAPTURED_ROLES) {
    const node = byPort(topology, port)
    expect(node, `node ${port}`).toMatchObject({host: '127.0.0.1', port, id: ID[port as keyof typeof ID], role, slots})
    expect(node.masterId, `node ${port} masterId`).toBe(masterId)
  }
}

describe('discoverTopology: CLUSTER SHARDS (Redis 7)', () => {
  it('lists every node, masters first then by address, replicas with their master id', async () => {
    const {result, calls} = discover({SHARDS: fixtureJson('cluster-shards.json')})
    const topology = await result
    expect(calls).toEqual(['CLUSTER SHARDS'])
    expect(topology.source).toBe('cluster shards')
    expectCapturedCluster(topology)
    expect(topology.nodes.every((n) => !n.failed)).toBe(true)
  })

  it('flags the replica whose health is "fail", and only that one', async () => {
    const topology = await discover({SHARDS: fixtureJson('cluster-shards-failed-replica.json')}).result
    expect(topology.nodes.filter((n) => n.failed).map((n) => n.address)).toEqual(['127.0.0.1:17144'])
    expect(byPort(topology, 17144)).toMatchObject({role: 'replica', masterId: ID[17140]})
  })

  it('keeps replicas that are still "loading" on a fresh cluster (not failed)', async () => {
    const topology = await discover({SHARDS: fixtureJson('cluster-shards-fresh.json')}).result
    expect(topology.nodes.filter((n) => n.role === 'replica')).toHaveLength(3)
    expect(topology.nodes.some((n) => n.failed)).toBe(false)
  })

  it("with TLS uses each node's tls-port, without TLS its plaintext port (real cluster with both listeners)", async () => {
    const reply = fixtureJson('cluster-shards-tls.json')
    const tls = await discover({SHARDS: reply}, true, '127.0.0.1', 17170).result
    expect(addresses(tls)).toEqual([17170, 17171, 17172, 17173, 17174, 17175].map((p) => `127.0.0.1:${p}`))
    expect(tls.nodes.slice(0, 3).map((n) => [n.port, n.slots])).toEqual([
      [17170, [[0, 5460]]],
      [17171, [[5461, 10922]]],
      [17172, [[10923, 16383]]],
    ])
    const plain = await discover({SHARDS: reply}, false, '127.0.0.1', 17160).result
    expect(addresses(plain)).toEqual([17160, 17161, 17162, 17163, 17164, 17165].map((p) => `127.0.0.1:${p}`))
    // the same node ids either way
    expect(plain.nodes.map((n) => n.id)).toEqual(tls.nodes.map((n) => n.id))
  })

  it('a node that does not know its own IP (single-node cluster: empty ip) is reached at the seed host', async () => {
    const topology = await discover({SHARDS: fixtureJson('cluster-shards-single-node.json')}, false, 'localhost', 17191).result
    expect(topology.nodes).toEqual([
      {
        address: 'localhost:17191',
        host: 'localhost',
        port: 17191,
        id: '8101497dc58a34dcc2af7e773706114f877a23f7',
        role: 'master',
        failed: false,
        masterId: undefined,
        slots: [[0, 16383]],
      },
    ])
  })
})

describe('discoverTopology: CLUSTER NODES when SHARDS is not available', () => {
  it.each([
    ['Redis 6 (unknown subcommand)', REDIS6_UNKNOWN_SHARDS()],
    ['a server that does not know SHARDS under the Redis 7 wording', REDIS7_UNKNOWN_SUBCOMMAND()],
    ['an ACL that refuses cluster|shards', NOPERM('shards')],
  ])('%s: falls back to CLUSTER NODES', async (_what, error) => {
    const {result, calls} = discover({SHARDS: error, NODES: fixtureText('cluster-nodes-failed-replica.txt')})
    const topology = await result
    expect(calls).toEqual(['CLUSTER SHARDS', 'CLUSTER NODES'])
    expect(topology.source).toBe('cluster nodes')
    expectCapturedCluster(topology)
    expect(topology.nodes.filter((n) => n.failed).map((n) => n.address)).toEqual(['127.0.0.1:17144'])
  })

  it('skips noaddr and handshake lines, flags a failed master (not a pfail one), keeps every slot range', async () => {
    const topology = await discover(
      {SHARDS: REDIS6_UNKNOWN_SHARDS(), NODES: fixtureText('handwritten-cluster-nodes-failed.txt')},
      false,
      '10.0.0.1',
      7000,
    ).result
    const list = addresses(topology)
    expect(list).not.toContain('') // the noaddr replica (":0@0")
    expect(list).not.toContain('10.0.0.6:7005') // still in handshake
    expect(topology.nodes.some((n) => n.id === '824fe116063bc5fcf9f4ffd895bc17aee7731ac3')).toBe(false)
    expect(list.slice(0, 3)).toEqual(['10.0.0.1:7000', '10.0.0.2:7001', '10.0.0.3:7002'])
    expect(list).toContain('10.0.0.4:7003')
    expect(byPort(topology, 7000).slots).toEqual([
      [0, 5460],
      [9000, 9000],
      [9002, 9003],
    ])
    expect(byPort(topology, 7001)).toMatchObject({
      role: 'master',
      failed: true,
      slots: [
        [5461, 8999],
        [9001, 9001],
        [9004, 10922],
      ],
    })
    expect(byPort(topology, 7002).failed).toBe(false) // "fail?" is only a suspicion
    expect(byPort(topology, 7003)).toMatchObject({role: 'replica', failed: true, masterId: '67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1'})
  })

  it("gives the seed's own line without a host (a node that does not know its IP) the seed's address", async () => {
    const topology = await discover(
      {SHARDS: REDIS6_UNKNOWN_SHARDS(), NODES: fixtureText('cluster-nodes-single-node.txt')},
      false,
      'redis-a.internal',
      17191,
    ).result
    expect(topology.source).toBe('cluster nodes')
    expect(topology.nodes).toHaveLength(1)
    expect(topology.nodes[0]).toMatchObject({
      address: 'redis-a.internal:17191',
      host: 'redis-a.internal',
      port: 17191,
      role: 'master',
      slots: [[0, 16383]],
    })
  })

  it('reads IPv6 addresses with brackets', async () => {
    const topology = await discover(
      {SHARDS: REDIS6_UNKNOWN_SHARDS(), NODES: fixtureText('handwritten-cluster-nodes-ipv6.txt')},
      false,
      '2001:db8::1',
      7000,
    ).result
    expect(addresses(topology)).toContain('[2001:db8::1]:7000')
    expect(addresses(topology)).toContain('[::1]:7003')
    expect(byPort(topology, 7003)).toMatchObject({host: '::1', role: 'replica'})
  })
})

describe('discoverTopology: CLUSTER SLOTS when SHARDS and NODES are refused', () => {
  it('builds the node list from the slot ranges: masters with their range, replicas with their master id', async () => {
    const {result, calls} = discover({SHARDS: NOPERM('shards'), NODES: NOPERM('nodes'), SLOTS: fixtureJson('cluster-slots.json')})
    const topology = await result
    expect(calls).toEqual(['CLUSTER SHARDS', 'CLUSTER NODES', 'CLUSTER SLOTS'])
    expect(topology.source).toBe('cluster slots')
    expectCapturedCluster(topology)
    // SLOTS cannot tell a failed node: nothing is flagged
    expect(topology.nodes.some((n) => n.failed)).toBe(false)
  })

  it('lists only what SLOTS shows: Redis 7.0 leaves out replicas whose offset is still 0', async () => {
    const topology = await discover({SHARDS: NOPERM('shards'), NODES: NOPERM('nodes'), SLOTS: fixtureJson('cluster-slots-fresh.json')})
      .result
    expect(addresses(topology)).toEqual(['127.0.0.1:17140', '127.0.0.1:17141', '127.0.0.1:17142'])
    expect(topology.nodes.every((n) => n.role === 'master')).toBe(true)
  })

  it('Redis 6 without SHARDS and an ACL refusing NODES also ends on SLOTS', async () => {
    const {result, calls} = discover({
      SHARDS: REDIS6_UNKNOWN_SHARDS(),
      NODES: NOPERM('nodes'),
      SLOTS: fixtureJson('cluster-slots-failed-replica.json'),
    })
    const topology = await result
    expect(calls).toEqual(['CLUSTER SHARDS', 'CLUSTER NODES', 'CLUSTER SLOTS'])
    expect(topology.source).toBe('cluster slots')
    expect(addresses(topology)).not.toContain('127.0.0.1:17144') // the failed replica is not listed by SLOTS
    expect(topology.nodes).toHaveLength(5)
  })

  it('when SLOTS is refused too, only the seed is known (role unknown), with every refusal said', async () => {
    const refused = new ReplyError("NOPERM this user has no permissions to run the 'cluster|slots' command")
    const topology = await discover({SHARDS: NOPERM('shards'), NODES: NOPERM('nodes'), SLOTS: refused}).result
    expect(topology.nodes).toHaveLength(1)
    expect(topology.nodes[0].role).toBe('unknown')
    expect(topology.refused?.map((r) => [r.check, r.command])).toEqual([
      ['topology', 'CLUSTER SHARDS'],
      ['topology', 'CLUSTER NODES'],
      ['topology', 'CLUSTER SLOTS'],
    ])
    expect(topology.refused?.[2].reason).toBe("NOPERM this user has no permissions to run the 'cluster|slots' command")
  })

  // Known bug (see the report): SHARDS and NODES give a node without a known IP the seed's host, but the
  // SLOTS fallback keeps the empty host and yields the address ":17191". Flip to `it` once fixed.
  it('a node without a known IP (empty host in CLUSTER SLOTS) is reached at the seed host', async () => {
    const topology = await discover(
      {SHARDS: NOPERM('shards'), NODES: NOPERM('nodes'), SLOTS: fixtureJson('cluster-slots-single-node.json')},
      false,
      '127.0.0.1',
      17191,
    ).result
    expect(addresses(topology)).toEqual(['127.0.0.1:17191'])
  })
})

describe('discoverTopology: standalone and real failures', () => {
  it('"cluster support disabled" is a standalone server: the seed is the only node, nothing else is asked', async () => {
    const {result, calls} = discover({SHARDS: CLUSTER_DISABLED()}, false, '10.1.2.3', 6379)
    expect(await result).toEqual({
      mode: 'standalone',
      source: 'standalone',
      nodes: [{address: '10.1.2.3:6379', host: '10.1.2.3', port: 6379, role: 'master', failed: false, slots: []}],
    })
    expect(calls).toEqual(['CLUSTER SHARDS'])
  })

  it('"cluster support disabled" on the NODES fallback is standalone too', async () => {
    const topology = await discover({SHARDS: REDIS6_UNKNOWN_SHARDS(), NODES: CLUSTER_DISABLED()}, false, '::1', 6379).result
    expect(topology).toMatchObject({mode: 'standalone', source: 'standalone'})
    expect(addresses(topology)).toEqual(['[::1]:6379'])
  })

  it('a connection error is rethrown as it is, never turned into a fallback', async () => {
    const closed = new Error('Connection is closed.')
    const {result, calls} = discover({SHARDS: closed, NODES: fixtureText('cluster-nodes-failed-replica.txt')})
    await expect(result).rejects.toBe(closed)
    expect(calls).toEqual(['CLUSTER SHARDS'])
  })

  it('a connection lost during the NODES fallback is rethrown, SLOTS is not tried', async () => {
    const reset = Object.assign(new Error('read ECONNRESET'), {code: 'ECONNRESET'})
    const {result, calls} = discover({SHARDS: REDIS6_UNKNOWN_SHARDS(), NODES: reset, SLOTS: fixtureJson('cluster-slots.json')})
    await expect(result).rejects.toBe(reset)
    expect(calls).toEqual(['CLUSTER SHARDS', 'CLUSTER NODES'])
  })

  it('an error reply that is not a refusal (LOADING) is rethrown, not a fallback', async () => {
    const loading = new ReplyError('LOADING Redis is loading the dataset in memory')
    const {result, calls} = discover({SHARDS: loading, NODES: fixtureText('cluster-nodes-failed-replica.txt')})
    await expect(result).rejects.toBe(loading)
    expect(calls).toEqual(['CLUSTER SHARDS'])
  })
})
