/**
 * Evidence fixtures for rule tests: a healthy 3 masters + 3 replicas cluster, and helpers to provoke
 * one cause at a time. Every call returns a fresh object, so tests may mutate it freely.
 */
import type {ClientsSummary, NodeEvidence, ProbeEvidence, Rates, SampleEvidence} from '../../src/lib/evidence/types.js'
import type {ReplayEvidence, ReplayRunEvidence} from '../../src/lib/replay/evidence.js'

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
    topGroups: [{host: '10.0.0.5', name: '', libName: 'redis-py', libVer: '5.0.1', count: 20, idleMax: 2, newCount: 0}],
    newGroups: [],
    ...overrides,
  }
}

export function healthyNode(index: number): NodeEvidence {
  const master = index < 3
  return {
    address: ADDRESSES[index],
    id: master ? MASTER_IDS[index] : REPLICA_IDS[index - 3],
    role: master ? 'master' : 'replica',
    announcedRole: master ? 'master' : 'replica',
    server: {vendor: 'redis', version: '7.0.15'},
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
    slowlog: {length: 0, internalEntries: 0, topPatterns: [], read: 0, maxDurationUs: 0, topCommands: []},
    clusterState: 'ok',
    clusterSlotsOk: 16384,
    clusterSlotsPfail: 0,
    clusterSlotsFail: 0,
    currentEpoch: 6,
    slotOwners: healthySlotOwners(),
    migrating: [],
    importing: [],
    latencyLatest: [],
    latencystats: {hmget: {p50: 2, p99: 8, p999: 15}},
    configEpoch: master ? index + 1 : 0,
    stats: {
      connectedClients: 21,
      blockedClients: 0,
      totalConnectionsReceived: 500,
      rejectedConnections: 0,
      totalCommandsProcessed: 1_000_000,
      instantaneousOpsPerSec: 150,
      usedMemory: 50 * 1024 ** 2,
      usedMemoryRss: 60 * 1024 ** 2,
      memFragmentationRatio: 1.2,
      evictedKeys: 0,
      expiredKeys: 100,
      uptimeSeconds: 864000,
      latestForkUsec: 0,
      rdbBgsaveInProgress: 0,
      aofRewriteInProgress: 0,
      rdbLastBgsaveOk: 1,
      ...(master ? {connectedReplicas: 1, promotedSinceStart: 0} : {masterLinkUp: 1}),
    },
  }
}

export function healthyEvidence(): ProbeEvidence {
  return {
    mode: 'cluster',
    seed: ADDRESSES[0],
    cluster: {state: 'ok', slotsCovered: 16384, masters: 3, replicas: 3, topologySource: 'cluster shards'},
    nodes: [0, 1, 2, 3, 4, 5].map(healthyNode),
  }
}

export function rates(overrides: Partial<Rates> = {}): Rates {
  return {...zeroRates(), ...overrides}
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
    changes: [],
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
  return withNodes(
    evidence,
    (node) => {
      node.config[key] = value
    },
    indexes,
  )
}

/** Overrides for one replay run: top-level fields, and postIdle/steady merged field by field. */
export type ReplayRunOverrides = Partial<Omit<ReplayRunEvidence, 'postIdle' | 'steady'>> & {
  postIdle?: Partial<ReplayRunEvidence['postIdle']>
  steady?: Partial<ReplayRunEvidence['steady']>
}

/**
 * One client model's replay, flat by default: post-idle p99 1.6 ms vs steady 1.5 ms, no reconnects,
 * no closures, no refreshes; server-side HMGET mean 0.02 ms, p99 0.05 ms.
 */
export function replayRun(client: string, overrides: ReplayRunOverrides = {}): ReplayRunEvidence {
  const {postIdle, steady, ...rest} = overrides
  return {
    client,
    postIdle: {
      ops: 1200,
      p50Ms: 0.8,
      p99Ms: 1.6,
      firstOpP99Ms: 1.6,
      reconnects: 0,
      connectionErrors: 0,
      refreshes: 0,
      maxConcurrentRefreshes: 0,
      closedByServerDuringGaps: 0,
      serverTopologyCalls: 0,
      serverConfigGetCalls: 0,
      serverNewConnections: 0,
      serverMoved: 0,
      eventLoopDelayP99Ms: 0.5,
      ...postIdle,
    },
    steady: {ops: 6000, p50Ms: 0.8, p99Ms: 1.5, refreshes: 0, eventLoopDelayP99Ms: 0.5, ...steady},
    refreshesPerGap: 0,
    stampedeFactor: 0,
    idleFailure: 'none',
    serverHmgetMeanMs: 0.02,
    serverHmgetP99Ms: 0.05,
    stalls: [],
    ...rest,
  }
}

/**
 * The incident through redis-py-cluster 2.x (refresh-on-error), 3 cycles of 20 workers: the server closed
 * 60 idle connections, every caller re-read the slot map (18 refreshes per gap, 14 at once), post-idle
 * p99 60 ms vs 1.5 ms steady.
 */
export function refreshOnErrorRun(overrides: ReplayRunOverrides = {}): ReplayRunEvidence {
  return replayRun('refresh-on-error', {
    refreshesPerGap: 18,
    stampedeFactor: 14,
    idleFailure: 'closed-by-server',
    ...overrides,
    postIdle: {
      p50Ms: 22,
      p99Ms: 60,
      firstOpP99Ms: 60,
      reconnects: 60,
      connectionErrors: 60,
      refreshes: 54,
      maxConcurrentRefreshes: 14,
      closedByServerDuringGaps: 60,
      serverTopologyCalls: 324,
      serverConfigGetCalls: 324,
      serverNewConnections: 384,
      serverMoved: 60,
      ...overrides.postIdle,
    },
    steady: {p99Ms: 1.5, ...overrides.steady},
  })
}

/** The fix (single-flight) on the same gaps: connections closed too, but reconnected on the same node; one refresh at a time. */
export function singleFlightRun(overrides: ReplayRunOverrides = {}): ReplayRunEvidence {
  return replayRun('single-flight', {
    refreshesPerGap: 0.33,
    stampedeFactor: 1,
    idleFailure: 'closed-by-server',
    ...overrides,
    postIdle: {
      p50Ms: 0.9,
      p99Ms: 2.5,
      firstOpP99Ms: 2.5,
      reconnects: 60,
      connectionErrors: 60,
      refreshes: 1,
      maxConcurrentRefreshes: 1,
      closedByServerDuringGaps: 60,
      serverTopologyCalls: 6,
      serverConfigGetCalls: 0,
      serverNewConnections: 60,
      serverMoved: 0,
      ...overrides.postIdle,
    },
    steady: {p99Ms: 1.4, ...overrides.steady},
  })
}

/** A replay of 3 cycles, 350 s idle gaps, 20 workers; by default the incident: refresh-on-error and single-flight. */
export function replayEvidence(overrides: Partial<ReplayEvidence> = {}): ReplayEvidence {
  return {
    idleMs: 350_000,
    cycles: 3,
    concurrency: 20,
    runs: [refreshOnErrorRun(), singleFlightRun()],
    ...overrides,
  }
}

/**
 * A sample whose per-node rates are given by node index (others zero), cluster rates summed from them;
 * 21 connected clients per node. `changes` lists role flips / epoch bumps seen during the sample.
 */
export function sampleByNode(perNode: Record<number, Partial<Rates>>, changes: SampleEvidence['changes'] = []): SampleEvidence {
  const nodes = ADDRESSES.map((address, i) => ({address, rates: rates(perNode[i] ?? {}), connectedClients: 21}))
  const cluster = rates()
  for (const node of nodes) {
    for (const key of Object.keys(cluster) as Array<keyof Rates>) {
      const [a, b] = [cluster[key], node.rates[key]]
      ;(cluster as Record<keyof Rates, number | null>)[key] = a === null || b === null ? null : a + b
    }
  }
  return {durationMs: 10_000, changes, cluster, nodes}
}

/** Every rate at zero: a quiet node. */
function zeroRates(): Rates {
  return {
    opsPerSec: 0,
    newConnectionsPerSec: 0,
    topologyCallsPerSec: 0,
    configGetPerSec: 0,
    movedPerSec: 0,
    askPerSec: 0,
    rejectedConnectionsPerSec: 0,
    evictedKeysPerSec: 0,
    expiredKeysPerSec: 0,
  }
}
