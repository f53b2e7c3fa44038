import {describe, expect, it} from 'vitest'
import {parseClusterNodes} from '../../../src/lib/parse/index.js'
import {fixtureText} from './fixtures.js'

const A = '365188f03f378a848e41b0af81fe544e3f8ba36a' // 127.0.0.1:17140, slots 0-5460
const B = '7c3a04c474df96e33c398e7ca34cfd7299bfaddb' // 127.0.0.1:17142, slots 10923-16383

describe('parseClusterNodes (real CLUSTER NODES from 7.0.15)', () => {
  const nodes = parseClusterNodes(fixtureText('cluster-nodes-migrating.txt'))

  it('reads all six nodes and their roles', () => {
    expect(nodes).toHaveLength(6)
    expect(nodes.filter((n) => n.role === 'master')).toHaveLength(3)
    expect(nodes.filter((n) => n.role === 'replica').every((n) => n.masterId !== undefined && n.flags.includes('slave'))).toBe(true)
    expect(nodes.every((n) => n.linkState === 'connected')).toBe(true)
  })

  it('reads myself with its slots and the migrating slot', () => {
    const me = nodes.find((n) => n.myself)
    expect(me).toMatchObject({
      id: A,
      address: '127.0.0.1:17140',
      host: '127.0.0.1',
      port: 17140,
      cport: 17150,
      flags: ['myself', 'master'],
      role: 'master',
      pingSent: 0,
      configEpoch: 1,
      slots: [[0, 5460]],
      migrating: [{slot: 4748, toNodeId: B}],
      importing: [],
    })
    expect(me?.masterId).toBeUndefined()
    expect(me?.hostname).toBeUndefined()
  })

  it('reads the announced hostname', () => {
    const b = nodes.find((n) => n.port === 17141)
    expect(b).toMatchObject({hostname: 'node-b.rcdiag.test', address: '127.0.0.1:17141', cport: 17151, slots: [[5461, 10922]]})
    expect(b?.aux).toBeUndefined()
  })

  it('reads the importing side from the target node', () => {
    const me = parseClusterNodes(fixtureText('cluster-nodes-importing.txt')).find((n) => n.myself)
    expect(me).toMatchObject({id: B, slots: [[10923, 16383]], importing: [{slot: 4748, fromNodeId: A}], migrating: []})
  })

  it('reads a replica that the others flagged fail', () => {
    const failed = parseClusterNodes(fixtureText('cluster-nodes-failed-replica.txt')).find((n) => n.flags.includes('fail'))
    expect(failed).toMatchObject({
      port: 17144,
      flags: ['slave', 'fail'],
      role: 'replica',
      masterId: A,
      pingSent: 1795898615140,
      pongRecv: 1795898614634,
      linkState: 'disconnected',
      slots: [],
    })
  })
})

describe('parseClusterNodes (hand-written)', () => {
  it('reads IPv6 addresses (no brackets on the wire)', () => {
    const nodes = parseClusterNodes(fixtureText('handwritten-cluster-nodes-ipv6.txt'))
    expect(nodes[0]).toMatchObject({
      host: '2001:db8::1',
      port: 7000,
      cport: 17000,
      address: '[2001:db8::1]:7000',
      hostname: 'redis-a.example.test',
    })
    expect(nodes[3]).toMatchObject({host: '::1', port: 7003, address: '[::1]:7003', flags: ['slave', 'nofailover'], role: 'replica'})
    expect(nodes[4]).toMatchObject({host: 'fe80::1%eth0', port: 7004})
  })

  it('reads failed, pfail, noaddr, handshake and noflags nodes', () => {
    const nodes = parseClusterNodes(fixtureText('handwritten-cluster-nodes-failed.txt'))
    expect(nodes[0].slots).toEqual([
      [0, 5460],
      [9000, 9000],
      [9002, 9003],
    ])
    expect(nodes[1]).toMatchObject({
      flags: ['master', 'fail'],
      role: 'master',
      linkState: 'disconnected',
      slots: [
        [5461, 8999],
        [9001, 9001],
        [9004, 10922],
      ],
    })
    expect(nodes[2]).toMatchObject({flags: ['master', 'fail?'], linkState: 'connected'})
    expect(nodes[4]).toMatchObject({address: '', host: '', port: 0, cport: 0, flags: ['noaddr', 'slave'], role: 'replica'})
    expect(nodes[5]).toMatchObject({flags: ['handshake'], role: 'master', configEpoch: 0})
    expect(nodes[6].flags).toEqual([])
  })

  it('reads the Redis 7.2 auxiliary address fields', () => {
    const [replica, master] = parseClusterNodes(fixtureText('handwritten-cluster-nodes-redis72-aux.txt'))
    expect(replica.hostname).toBeUndefined()
    expect(replica.aux).toEqual({'tls-port': '0', 'shard-id': '69bc080733d1355567173199cff4a6a039a2f024'})
    expect(master).toMatchObject({hostname: 'hostname1', port: 30001, cport: 31001})
  })
})

describe('CLUSTER NODES edge cases', () => {
  it('accepts empty input and the pre-4.0 address form', () => {
    expect(parseClusterNodes('')).toEqual([])
    expect(parseClusterNodes('abc 10.0.0.1:6379 master - 0 0 1 connected 0-10\n')[0]).toMatchObject({
      port: 6379,
      cport: 0,
      slots: [[0, 10]],
    })
  })

  it('throws clear errors', () => {
    expect(() => parseClusterNodes(undefined as unknown as string)).toThrow('CLUSTER NODES reply: expected text, got undefined')
    expect(() => parseClusterNodes('abc 10.0.0.1:1@2 master')).toThrow(/CLUSTER NODES reply: line 1 has 3 fields, expected at least 8/)
    expect(() => parseClusterNodes('abc 10.0.0.1:1@2 master - 0 0 1 connected 0-x')).toThrow(/unrecognised slot field "0-x"/)
    expect(() => parseClusterNodes('abc nohost master - 0 0 1 connected')).toThrow(/address "nohost" has no port/)
  })
})
