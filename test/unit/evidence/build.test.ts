/**
 * buildEvidence: collected snapshots + topology → what the rules read. Snapshots are made from the
 * replies captured from real Redis 7.0.15 (test/fixtures/redis7, node 127.0.0.1:17140 of a 3+3
 * cluster), parsed with the real parsers; topologies are written by hand.
 */
import {describe, expect, it} from 'vitest'

import {buildEvidence} from '../../../src/lib/evidence/build.js'
import type {NodeEvidence, SampleEvidence} from '../../../src/lib/evidence/types.js'
import {parseClientList} from '../../../src/lib/parse/client-list.js'
import {parseClusterInfo} from '../../../src/lib/parse/cluster-info.js'
import {parseClusterNodes} from '../../../src/lib/parse/cluster-nodes.js'
import {parseConfigGet} from '../../../src/lib/parse/config-get.js'
import {parseCommandstats, parseErrorstats, parseInfo, parseLatencystats} from '../../../src/lib/parse/info.js'
import {parseLatencyLatest} from '../../../src/lib/parse/latency-latest.js'
import {parseSlowlogTimeline} from '../../../src/lib/parse/slowlog.js'
import {emptySnapshot, type CollectedNode, type NodeSnapshot} from '../../../src/lib/redis/snapshot-types.js'
import type {Topology, TopologyNode} from '../../../src/lib/redis/topology.js'
import {fixtureJson, fixtureText} from '../parse/fixtures.js'

const A = '127.0.0.1:17140' // the node every fixture was read from (master of 0-5460)
const B = '127.0.0.1:17141'
const C = '127.0.0.1:17142'
const RA = '127.0.0.1:17144' // replica of A
const RB = '127.0.0.1:17145'
const RC = '127.0.0.1:17143'
const ID: Record<string, string> = {
  [A]: '365188f03f378a848e41b0af81fe544e3f8ba36a',
  [B]: '7e0433b93bb3c3f45e461247c7e4af83c60bb62b',
  [C]: '7c3a04c474df96e33c398e7ca34cfd7299bfaddb',
  [RA]: 'a885142c9a4164733335c09ae43d8a905007619d',
  [RB]: '141c448f3cf655698db414a2277ac98460d2c4ea',
  [RC]: 'f6f424205883e6eabde53aba2a7b70bcecce7017',
}
const TAKEN_AT = 1_795_898_614_732

function topologyNode(
  address: string,
  role: TopologyNode['role'],
  slots: Array<[number, number]> = [],
  extra: Partial<TopologyNode> = {},
): TopologyNode {
  const [host, port] = address.split(':')
  return {address, host, port: Number(port), id: ID[address], role, failed: false, slots, ...extra}
}

/** The captured cluster as CLUSTER SHARDS described it. */
function capturedTopology(source: Topology['source'] = 'cluster shards'): Topology {
  return {
    mode: 'cluster',
    source,
    nodes: [
      topologyNode(A, 'master', [[0, 5460]]),
      topologyNode(B, 'master', [[5461, 10922]]),
      topologyNode(C, 'master', [[10923, 16383]]),
      topologyNode(RC, 'replica', [], {masterId: ID[C]}),
      topologyNode(RA, 'replica', [], {masterId: ID[A]}),
      topologyNode(RB, 'replica', [], {masterId: ID[B]}),
    ],
  }
}

const INFO_TEXT = fixtureText('info-all.txt')

/** The captured INFO with its "# Replication" section replaced (a replica's, a promoted master's). */
function infoWithReplication(lines: string[]): string {
  return INFO_TEXT.replace(/# Replication\r\n[\s\S]*?\r\n\r\n/, `# Replication\r\n${lines.join('\r\n')}\r\n\r\n`)
}

/** Every reply of one pipelined round trip, as snapshot.ts parses them; the INFO text can be swapped. */
function fullSnapshot(address: string, infoText = INFO_TEXT): NodeSnapshot {
  const info = parseInfo(infoText)
  return {
    address,
    takenAtMs: TAKEN_AT,
    reachable: true,
    rttMs: 0.31,
    rttMinMs: 0.22,
    topologyCallMs: 0.45,
    config: parseConfigGet(fixtureJson('config-get-all.json')),
    info,
    commandstats: parseCommandstats(info.commandstats),
    errorstats: parseErrorstats(info.errorstats),
    latencystats: parseLatencystats(info.latencystats),
    clients: parseClientList(fixtureText('client-list.txt')),
    slowlog: parseSlowlogTimeline(fixtureJson('slowlog-get-buffers.json'), address),
    slowlogLen: 28,
    latencyLatest: parseLatencyLatest(fixtureJson('latency-latest.json')),
    clusterInfo: parseClusterInfo(fixtureText('cluster-info.txt')),
    clusterNodes: parseClusterNodes(fixtureText('cluster-nodes-migrating.txt')),
    skipped: [],
  }
}

/** A node that answered but whose every read was refused or empty: only what a test sets is known. */
function bareSnapshot(address: string, over: Partial<NodeSnapshot> = {}): NodeSnapshot {
  return {...emptySnapshot(address, TAKEN_AT), ...over}
}

/** What snapshot.ts leaves for a node that did not answer. */
function unreachableSnapshot(address: string, error = 'connection refused'): NodeSnapshot {
  return bareSnapshot(address, {reachable: false, error})
}

const collected = (snapshot: NodeSnapshot): CollectedNode => ({
  snapshot,
  ownCallsBeforeInfo: {},
  ownCallsAfterInfo: {},
  ownConnectionsBeforeInfo: 1,
  ownConnectionsAfterInfo: 0,
})

const build = (topology: Topology, snapshots: NodeSnapshot[], sample?: SampleEvidence) =>
  buildEvidence(A, topology, snapshots.map(collected), sample)
const nodeOf = (nodes: NodeEvidence[], address: string): NodeEvidence => {
  const node = nodes.find((n) => n.address === address)
  if (!node) throw new Error(`no evidence for ${address}`)
  return node
}

describe('buildEvidence: one node from real replies', () => {
  const evidence = build(capturedTopology(), [fullSnapshot(A)])
  const node = evidence.nodes[0]

  it('takes identity, timings and per-node cluster facts from the snapshot', () => {
    expect(node).toMatchObject({
      address: A,
      id: ID[A],
      role: 'master',
      slots: 5461,
      reachable: true,
      rttMs: 0.31,
      rttMinMs: 0.22,
      topologyCallMs: 0.45,
      clusterState: 'ok',
      clusterSlotsOk: 16384,
      clusterSlotsPfail: 0,
      clusterSlotsFail: 0,
      currentEpoch: 6,
      configEpoch: 1,
    })
    expect(node.error).toBeUndefined()
    // myself (A) is migrating slot 4748 to C in the captured CLUSTER NODES
    expect(node.migrating).toEqual([{slot: 4748, toNodeId: ID[C]}])
    expect(node.importing).toEqual([])
    expect(node.latencyLatest).toEqual([{event: 'command', timestamp: 1795898613, latestMs: 50, maxMs: 50}])
    expect(node.latencystats.hmget).toEqual({p50: 1.003, p99: 278.527, p999: 278.527})
    expect(evidence.takenAtMs).toBe(TAKEN_AT)
  })

  it("lists this node's view of the slot owners, sorted by slot", () => {
    expect(node.slotOwners).toEqual([
      {start: 0, end: 5460, ownerId: ID[A], ownerAddress: A},
      {start: 5461, end: 10922, ownerId: ID[B], ownerAddress: B},
      {start: 10923, end: 16383, ownerId: ID[C], ownerAddress: C},
    ])
  })

  it('makes numeric config values numbers and leaves the textual ones strings', () => {
    expect(node.config.timeout).toBe(0)
    expect(node.config['tcp-keepalive']).toBe(300)
    expect(node.config.maxclients).toBe(10000)
    expect(node.config['cluster-node-timeout']).toBe(1000)
    expect(node.config.save).toBe('') // saving disabled in the capture: still a string
    expect(node.config.appendonly).toBe('no')
    expect(node.config['maxmemory-policy']).toBe('noeviction')
    expect(node.config['cluster-require-full-coverage']).toBe('yes')
  })

  it('reads units and keeps `save` and `appendonly` as strings (hand-set CONFIG values)', () => {
    const snapshot = bareSnapshot(A, {
      config: {
        timeout: '300',
        maxmemory: '100mb',
        'tcp-keepalive': '60',
        save: '3600 1 300 100 60 10000',
        appendonly: 'yes',
        appendfsync: 'everysec',
      },
    })
    const config = build(capturedTopology(), [snapshot]).nodes[0].config
    expect(config).toEqual({
      timeout: 300,
      maxmemory: 104857600,
      'tcp-keepalive': 60,
      save: '3600 1 300 100 60 10000',
      appendonly: 'yes',
      appendfsync: 'everysec',
    })
  })

  it('keeps only the numeric INFO fields it knows, exactly as the server said them', () => {
    expect(node.stats).toEqual({
      connectedClients: 5,
      blockedClients: 0,
      totalConnectionsReceived: 3,
      rejectedConnections: 0,
      totalCommandsProcessed: 23,
      instantaneousOpsPerSec: 21,
      usedMemory: 2090184,
      usedMemoryRss: 13787136,
      memFragmentationRatio: 6.62,
      evictedKeys: 0,
      expiredKeys: 0,
      uptimeSeconds: 7,
      latestForkUsec: 0,
      rdbBgsaveInProgress: 0,
      aofRewriteInProgress: 0,
      rdbLastBgsaveOk: 1,
      connectedReplicas: 1,
      // master_replid2 is all zeros: never promoted
      promotedSinceStart: 0,
    })
  })
})

describe('buildEvidence: role', () => {
  it('INFO replication wins: role:slave is a replica even where CLUSTER NODES and the topology say master', () => {
    const info = infoWithReplication([
      'role:slave',
      'master_host:127.0.0.1',
      'master_port:17142',
      'master_link_status:up',
      'connected_slaves:0',
    ])
    const node = build(capturedTopology(), [fullSnapshot(A, info)]).nodes[0]
    expect(node.role).toBe('replica')
  })

  it('INFO role:master wins over a topology that still calls the node a replica', () => {
    const topology = capturedTopology()
    topology.nodes[0].role = 'replica'
    expect(build(topology, [fullSnapshot(A)]).nodes[0].role).toBe('master')
  })

  it("without INFO, the node's own CLUSTER NODES line (myself) wins over the topology", () => {
    // 17143's own view: the captured CLUSTER NODES with "myself" on 17143's line.
    const text = fixtureText('cluster-nodes-failed-replica.txt')
      .replace('myself,master', 'master')
      .replace('127.0.0.1:17143@17153 slave', '127.0.0.1:17143@17153 myself,slave')
    const topology = capturedTopology()
    topology.nodes[3].role = 'master' // a stale seed view
    const snapshot = bareSnapshot(RC, {
      clusterNodes: parseClusterNodes(text),
      skipped: [{check: 'info', command: 'INFO', reason: 'NOPERM'}],
    })
    const node = build(topology, [snapshot]).nodes[0]
    expect(node.role).toBe('replica')
    expect(node.id).toBe(ID[RC])
    // a replica serves no slots, and its own view of the owners is still read
    expect(node.slots).toBe(0)
    expect(node.slotOwners?.map((o) => o.ownerAddress)).toEqual([A, B, C])
  })

  it('without INFO or CLUSTER NODES, the topology says; a node unknown to it is "unknown"', () => {
    const evidence = build(capturedTopology(), [unreachableSnapshot(RA), unreachableSnapshot('10.9.9.9:7000')])
    expect(nodeOf(evidence.nodes, RA)).toMatchObject({role: 'replica', id: ID[RA], reachable: false, error: 'connection refused'})
    expect(nodeOf(evidence.nodes, '10.9.9.9:7000')).toMatchObject({role: 'unknown', id: undefined, slots: 0})
  })
})

describe('buildEvidence: clients and slowlog summaries only from what was read', () => {
  it('summarises CLIENT LIST without replication links, with the idle counts against the timeout', () => {
    const snapshot = fullSnapshot(A)
    snapshot.config.timeout = '2'
    const clients = build(capturedTopology(), [snapshot]).nodes[0].clients
    // 6 connections in the capture; the replica's link (flags=S) and the capture script's own
    // connection (named rcdiag-probe: rcdiag-named connections are rcdiag's) are left out
    expect(clients?.count).toBe(4)
    expect(clients?.idle).toEqual({count: 4, p50: 1, p90: 1, max: 1})
    expect(clients?.age.max).toBe(7)
    // idle >= 1 s (half of 2 s): three of them; idle >= 1.6 s: none
    expect(clients?.idleOverHalfTimeout).toBe(3)
    expect(clients?.idleOver80PctTimeout).toBe(0)
  })

  it('with timeout 0 the near-timeout counts are null (not 0)', () => {
    const clients = build(capturedTopology(), [fullSnapshot(A)]).nodes[0].clients
    expect(clients?.count).toBe(4)
    expect(clients?.idleOverHalfTimeout).toBeNull()
    expect(clients?.idleOver80PctTimeout).toBeNull()
  })

  it('no clients summary when CLIENT LIST was refused (never a zero count), nor for an unreachable node', () => {
    const refused = bareSnapshot(B, {
      skipped: [
        {check: 'client-list', command: 'CLIENT LIST', reason: "NOPERM this user has no permissions to run the 'client|list' command"},
      ],
    })
    const evidence = build(capturedTopology(), [refused, unreachableSnapshot(C)])
    expect(nodeOf(evidence.nodes, B).clients).toBeUndefined()
    expect(nodeOf(evidence.nodes, C).clients).toBeUndefined()
    // another check refused does not hide CLIENT LIST
    const otherRefused = bareSnapshot(B, {skipped: [{check: 'config', command: 'CONFIG GET', reason: 'ERR unknown command'}]})
    expect(build(capturedTopology(), [otherRefused]).nodes[0].clients?.count).toBe(0)
  })

  it("leaves replication and rcdiag's own entries out of the slowlog summary", () => {
    const reply = fixtureJson('slowlog-get-buffers.json') as unknown[]
    // One slow CLUSTER SLOTS from rcdiag's own connection (named "rcdiag"), newer than the rest.
    const own = [
      31,
      1795898615,
      120_000,
      [Buffer.from('CLUSTER'), Buffer.from('SLOTS')],
      Buffer.from('127.0.0.1:50000'),
      Buffer.from('rcdiag'),
    ]
    const snapshot = fullSnapshot(A)
    snapshot.slowlog = parseSlowlogTimeline([own, ...reply], A)
    snapshot.slowlogLen = 200
    const slowlog = build(capturedTopology(), [snapshot]).nodes[0].slowlog
    // 29 entries read: REPLCONF ACK (replication), rcdiag's CLUSTER SLOTS and the capture script's
    // four entries (its connection is named rcdiag-probe) are internal
    expect(slowlog?.internalEntries).toBe(6)
    expect(slowlog?.read).toBe(23)
    expect(slowlog?.length).toBe(194)
    expect(slowlog?.maxDurationUs).toBe(50158) // DEBUG SLEEP 0.05, not rcdiag's 120 ms
    expect(slowlog?.topCommands[0]).toEqual({command: 'DEBUG SLEEP', count: 1, totalUs: 50158, maxUs: 50158})
    const commands = slowlog?.topCommands.map((c) => c.command) ?? []
    expect(commands).not.toContain('CLUSTER SLOTS')
    expect(commands).not.toContain('REPLCONF')
    expect(slowlog?.topPatterns.some((p) => p.pattern.startsWith('REPLCONF'))).toBe(false)
    expect(slowlog?.newestTimestamp).toBe(1795898614) // rcdiag's newer entry does not count
  })

  it('no slowlog summary when SLOWLOG GET was refused or the node is unreachable', () => {
    const refused = bareSnapshot(B, {
      skipped: [{check: 'slowlog', command: 'SLOWLOG GET', reason: "NOPERM this user has no permissions to run the 'slowlog|get' command"}],
    })
    const evidence = build(capturedTopology(), [refused, unreachableSnapshot(C)])
    expect(nodeOf(evidence.nodes, B).slowlog).toBeUndefined()
    expect(nodeOf(evidence.nodes, C).slowlog).toBeUndefined()
  })
})

describe('buildEvidence: stats only when known', () => {
  it('a node without INFO has no stats at all (no invented zeros)', () => {
    const evidence = build(capturedTopology(), [
      bareSnapshot(B, {skipped: [{check: 'info', command: 'INFO', reason: 'NOPERM'}]}),
      unreachableSnapshot(C),
    ])
    expect(nodeOf(evidence.nodes, B).stats).toEqual({})
    expect(nodeOf(evidence.nodes, C).stats).toEqual({})
    // and nothing else unmeasured is filled in either
    expect(nodeOf(evidence.nodes, B)).toMatchObject({
      rttMs: undefined,
      topologyCallMs: undefined,
      clusterState: undefined,
      clusterSlotsOk: undefined,
      currentEpoch: undefined,
      configEpoch: undefined,
      slotOwners: undefined,
    })
  })

  it('a replica: master link state and how long it has been down, no promotion flag and no replica count', () => {
    const info = infoWithReplication([
      'role:slave',
      'master_host:127.0.0.1',
      'master_port:17140',
      'master_link_status:down',
      'master_last_io_seconds_ago:-1',
      'master_sync_in_progress:0',
      'master_link_down_since_seconds:12',
      'connected_slaves:0',
      'master_replid:5dd051167e123f7e1eef6615a9b2d4841072420e',
      'master_replid2:0000000000000000000000000000000000000000',
    ])
    const stats = build(capturedTopology(), [fullSnapshot(RA, info)]).nodes[0].stats
    expect(stats.masterLinkUp).toBe(0)
    expect(stats.masterLinkDownSinceSeconds).toBe(12)
    expect(stats.connectedReplicas).toBe(0)
    expect('promotedSinceStart' in stats).toBe(false)
  })

  it('a master whose master_replid2 is set was promoted since it started', () => {
    const info = infoWithReplication([
      'role:master',
      'connected_slaves:0',
      'master_failover_state:no-failover',
      'master_replid:9a3c1f0d7e5b2a4c6e8f0a1b3c5d7e9f1a2b3c4d',
      'master_replid2:5dd051167e123f7e1eef6615a9b2d4841072420e',
      'master_repl_offset:513',
      'second_repl_offset:514',
    ])
    const stats = build(capturedTopology(), [fullSnapshot(A, info)]).nodes[0].stats
    expect(stats.promotedSinceStart).toBe(1)
    expect('masterLinkUp' in stats).toBe(false)
  })
})

describe('buildEvidence: the cluster', () => {
  const clusterInfo = (state: string, slotsOk: number) =>
    parseClusterInfo(
      fixtureText('cluster-info.txt')
        .replace('cluster_state:ok', `cluster_state:${state}`)
        .replace('cluster_slots_ok:16384', `cluster_slots_ok:${slotsOk}`),
    )

  it("counts masters and replicas of every node, names the topology's source, and takes the seed's CLUSTER INFO", () => {
    const others = [C, RA, RB, RC].map((address) => bareSnapshot(address))
    const evidence = build(capturedTopology('cluster nodes'), [
      fullSnapshot(A),
      bareSnapshot(B, {clusterInfo: clusterInfo('ok', 16000)}),
      ...others,
    ])
    expect(evidence.mode).toBe('cluster')
    expect(evidence.seed).toBe(A)
    expect(evidence.cluster).toEqual({
      state: 'ok',
      stateFrom: 'nodes',
      slotsCovered: 16384,
      masters: 3,
      replicas: 3,
      topologySource: 'cluster nodes',
    })
  })

  it('counts a node by the role it reports itself, and keeps the role the topology gives it (the header agrees with the table)', () => {
    // B was failed over: the topology (from the seed) still lists it as a master, B says it replicates.
    const demoted = bareSnapshot(B, {info: {replication: {role: 'slave'}}})
    const evidence = build(capturedTopology(), [fullSnapshot(A), demoted, ...[C, RA, RB, RC].map((address) => bareSnapshot(address))])
    expect(nodeOf(evidence.nodes, B)).toMatchObject({role: 'replica', announcedRole: 'master'})
    expect(evidence.cluster).toMatchObject({masters: 2, replicas: 4})
  })

  it("slotsCovered is the seed's cluster_slots_ok, not what the topology claims", () => {
    const snapshot = bareSnapshot(A, {clusterInfo: clusterInfo('ok', 10923)})
    expect(build(capturedTopology(), [snapshot]).cluster?.slotsCovered).toBe(10923)
  })

  it('"fail" if any reachable node says fail, even when the seed says ok', () => {
    const evidence = build(capturedTopology(), [
      fullSnapshot(A),
      bareSnapshot(B, {clusterInfo: clusterInfo('fail', 10922)}),
      bareSnapshot(C, {clusterInfo: clusterInfo('ok', 16384)}),
    ])
    expect(evidence.cluster?.state).toBe('fail')
    // the seed's own count still stands
    expect(evidence.cluster?.slotsCovered).toBe(16384)
    expect(nodeOf(evidence.nodes, B).clusterState).toBe('fail')
  })

  it('"unknown" when no reachable node told its state; slots then computed from the topology without failed masters', () => {
    const topology = capturedTopology()
    topology.nodes[1].failed = true // B, 5461-10922
    // an overlapping range is counted once
    topology.nodes[2].slots = [
      [10923, 16383],
      [16000, 16383],
    ]
    const evidence = build(topology, [
      bareSnapshot(A, {skipped: [{check: 'cluster-info', command: 'CLUSTER INFO', reason: 'NOPERM'}]}),
      unreachableSnapshot(B),
    ])
    expect(evidence.cluster?.state).toBe('unknown')
    expect(evidence.cluster?.slotsCovered).toBe(16384 - 5462)
    // NodeEvidence.slots is what the topology assigns, failed or not, ranges summed
    expect(nodeOf(evidence.nodes, B).slots).toBe(5462)
    expect(nodeOf(evidence.nodes, A).slots).toBe(5461)
  })

  it('an unreachable seed: the state comes from the nodes that answered', () => {
    const evidence = build(capturedTopology(), [unreachableSnapshot(A), bareSnapshot(B, {clusterInfo: clusterInfo('ok', 16384)})])
    expect(evidence.cluster?.state).toBe('ok')
    expect(nodeOf(evidence.nodes, A).reachable).toBe(false)
  })

  it('NodeEvidence.slots sums every range of the node in the topology', () => {
    const topology = capturedTopology()
    topology.nodes[0].slots = [
      [0, 5460],
      [9000, 9000],
      [9002, 9003],
    ]
    expect(build(topology, [bareSnapshot(A)]).nodes[0].slots).toBe(5461 + 1 + 2)
  })

  it('a standalone server: no cluster section, the role from INFO, no slots', () => {
    const topology: Topology = {
      mode: 'standalone',
      source: 'standalone',
      nodes: [topologyNode('127.0.0.1:6379', 'master', [], {id: undefined})],
    }
    const snapshot = fullSnapshot('127.0.0.1:6379')
    snapshot.clusterInfo = {}
    snapshot.clusterNodes = []
    const evidence = buildEvidence('127.0.0.1:6379', topology, [collected(snapshot)])
    expect(evidence.mode).toBe('standalone')
    expect(evidence.cluster).toBeUndefined()
    expect(evidence.nodes[0]).toMatchObject({address: '127.0.0.1:6379', role: 'master', slots: 0, id: undefined, slotOwners: undefined})
  })

  it('passes the sample through and keeps the nodes in collection order', () => {
    const sample: SampleEvidence = {
      durationMs: 10_000,
      changes: [],
      cluster: {
        opsPerSec: 1,
        newConnectionsPerSec: 0,
        topologyCallsPerSec: 0,
        configGetPerSec: 0,
        movedPerSec: 0,
        askPerSec: 0,
        rejectedConnectionsPerSec: 0,
        evictedKeysPerSec: 0,
        expiredKeysPerSec: 0,
      },
      nodes: [],
    }
    const evidence = build(capturedTopology(), [bareSnapshot(RB), bareSnapshot(A), bareSnapshot(C)], sample)
    expect(evidence.sample).toBe(sample)
    expect(evidence.nodes.map((n) => n.address)).toEqual([RB, A, C])
  })
})

describe('buildEvidence: nodes that answer probe but not their clients', () => {
  it('a node loading its dataset (INFO persistence loading:1) is blocked, with its progress', () => {
    const snapshot = bareSnapshot(B, {
      info: parseInfo('# Persistence\r\nloading:1\r\nloading_loaded_perc:18.09\r\nloading_eta_seconds:9\r\n'),
    })
    const node = nodeOf(build(capturedTopology('cluster nodes'), [fullSnapshot(A), snapshot]).nodes, B)
    expect(node.blocked).toEqual({kind: 'loading', reason: 'loading its dataset (18.09% loaded, about 9 s left): commands answer -LOADING'})
    expect(node.reachable).toBe(true)
  })

  it('a replica without its master and replica-serve-stale-data no is blocked (masterdown); with stale data served it is not', () => {
    const replica = (stale: string) =>
      bareSnapshot(RA, {
        info: parseInfo(
          '# Replication\r\nrole:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:7000\r\nmaster_link_status:down\r\nmaster_link_down_since_seconds:4\r\n',
        ),
        config: {'replica-serve-stale-data': stale},
      })
    const topology = capturedTopology('cluster nodes')
    expect(nodeOf(build(topology, [fullSnapshot(A), replica('no')]).nodes, RA).blocked).toEqual({
      kind: 'masterdown',
      reason: 'link to its master 127.0.0.1:7000 down for 4 s with replica-serve-stale-data no: reads answer -MASTERDOWN',
    })
    expect(nodeOf(build(topology, [fullSnapshot(A), replica('yes')]).nodes, RA).blocked).toBeUndefined()
  })
})
