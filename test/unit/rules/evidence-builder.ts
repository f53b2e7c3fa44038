/**
 * Evidence fixtures for rule tests: a healthy 3 masters + 3 replicas cluster, and helpers to provoke
 * one cause at a time. Every call returns a fresh object, so tests may mutate it freely.
 */
import type {ClientsSummary, NodeEvidence, ProbeEvidence, Rates, SampleEvidence} from '../../../src/lib/evidence/types.js'

export const MASTER_IDS = ['a1'.padEnd(40, '0'), 'b2'.padEnd(40, '0'), 'c3'.padEnd(40, '0')]
export const REPLICA_IDS = ['d4'.padEnd(40, '0'), 'e5'.padEnd(40, '0'), 'f6'.padEnd(40, '0')]
export const ADDRESSES = [7000, 7001, 7002, 7003, 7004, 7005].map((port) => `127.0.0.1:${port}`)

/** The slot map every healthy node agrees on. */
export function healthySlotOwners(): NonNullable<NodeEvidence['slotOwners']> {
  return [
    {start: 0, end: 5460, ownerId: MASTER_IDS[0], ownerAddress: ADDRESSES[0]},
    {start: 5461, end: 10922, ownerId: MASTER_IDS[1], ownerAddress: ADDRESSES[1]},
    {start: 10923, end: 16383, ownerId: MASTER_IDS[2], ownerAddress: ADDRESSES[2]},
  ]
}

export function clientsSummary(overrides: Partial<ClientsSummary> = {}): ClientsSummary {
  return {
    count: 20,
    idle: {count: 20, p50: 0, p90: 1, max: 2},
    age: {count: 20, p50: 3600, p90: 7200, max: 86400},
    idleOverHalfTimeout: null,
    idleOver80PctTimeout: null,
    topGroups: [{host: '10.0.0.5', name: '', libName: 'redis-py', count: 20, idleMax: 2}],
    ...overrides,
  }
}

export function healthyNode(index: number): NodeEvidence {
  const master = index < 3
  return {
    address: ADDRESSES[index],
    id: master ? MASTER_IDS[index] : REPLICA_IDS[index - 3],
    role: master ? 'master' : 'replica',
    reachable: true,
    rttMs: 0.2,
    topologyCallMs: 0.1,
    config: {
      timeout: 0,
      'tcp-keepalive': 300,
      maxclients: 10000,
      maxmemory: 0,
      'maxmemory-policy': 'noeviction',
      'slowlog-log-slower-than': 10000,
      'latency-monitor-threshold': 0,
      appendonly: 'no',
      save: '3600 1 300 100 60 10000',
    },
    skipped: [],
    clients: clientsSummary(),
    slowlog: {length: 0, internalEntries: 0, read: 0, maxDurationUs: 0, topCommands: []},
    clusterState: 'ok',
    clusterSlotsOk: 16384,
    clusterSlotsPfail: 0,
    clusterSlotsFail: 0,
    currentEpoch: 6,
    slotOwners: healthySlotOwners(),
    migrating: [],
    importing: [],
    latencyLatest: [],
    stats: {
      connectedClients: 21,
      totalConnectionsReceived: 500,
      rejectedConnections: 0,
      totalCommandsProcessed: 1_000_000,
      usedMemory: 50 * 1024 ** 2,
      uptimeSeconds: 864000,
    },
  }
}

export function healthyEvidence(): ProbeEvidence {
  return {
    mode: 'cluster',
    seed: ADDRESSES[0],
    cluster: {state: 'ok', slotsCovered: 16384, masters: 3, replicas: 3},
    nodes: [0, 1, 2, 3, 4, 5].map(healthyNode),
  }
}

export function rates(overrides: Partial<Rates> = {}): Rates {
  return {
    opsPerSec: 0,
    newConnectionsPerSec: 0,
    topologyCallsPerSec: 0,
    configGetPerSec: 0,
    movedPerSec: 0,
    askPerSec: 0,
    rejectedConnectionsPerSec: 0,
    ...overrides,
  }
}

/**
 * A sample over 10 s. Cluster rates as given; per-node rates split evenly over the masters unless
 * `nodes` overrides them; 21 connected clients per node.
 */
export function sample(cluster: Partial<Rates> = {}, nodes?: SampleEvidence['nodes']): SampleEvidence {
  const total = rates(cluster)
  const third = Object.fromEntries(Object.entries(total).map(([k, v]) => [k, v / 3])) as unknown as Rates
  return {
    durationMs: 10_000,
    cluster: total,
    nodes: nodes ?? ADDRESSES.map((address, i) => ({address, rates: i < 3 ? {...third} : rates(), connectedClients: 21})),
  }
}

/** A quiet, healthy sample: some reads, no churn, no refreshes. */
export function quietSample(): SampleEvidence {
  return sample({opsPerSec: 120})
}

/** Applies a change to every node (or the nodes at the given indexes) and returns the evidence. */
export function withNodes(evidence: ProbeEvidence, change: (node: NodeEvidence, index: number) => void, indexes?: number[]): ProbeEvidence {
  evidence.nodes.forEach((node, i) => {
    if (!indexes || indexes.includes(i)) change(node, i)
  })
  return evidence
}

/** Sets one CONFIG value on every node (or the given ones). */
export function withConfig(evidence: ProbeEvidence, key: string, value: number | string, indexes?: number[]): ProbeEvidence {
  return withNodes(evidence, (node) => {
    node.config[key] = value
  }, indexes)
}
