import type {ServerIdentity} from '../parse/server.js'
import type {BlockedKind, LatencyLatestEvent, LatencyPercentiles, SkippedCheck} from '../parse/types.js'
import type {ReplayEvidence} from '../replay/evidence.js'

export type {SkippedCheck} from '../parse/types.js'

export interface Distribution {
  count: number
  p50: number
  p90: number
  max: number
}

/** Connections from one host, with one client name and library (and version): who they are. */
export interface ClientGroup {
  host: string
  name: string
  /** CLIENT SETINFO lib-name (Redis 7.2+, Valkey); "" when the client did not say or the server cannot tell */
  libName: string
  /** CLIENT SETINFO lib-ver; "" likewise */
  libVer: string
  count: number
  idleMax: number
  /** connections opened in the last NEW_CONNECTION_AGE_SEC seconds */
  newCount: number
}

export interface ClientsSummary {
  /** connections counted (rcdiag's own excluded) */
  count: number
  /** seconds */
  idle: Distribution
  /** seconds */
  age: Distribution
  /** null when timeout is 0 or unknown */
  idleOverHalfTimeout: number | null
  idleOver80PctTimeout: number | null
  /** the largest groups */
  topGroups: ClientGroup[]
  /** the groups with the most connections opened in the last NEW_CONNECTION_AGE_SEC seconds (where churn comes from) */
  newGroups: ClientGroup[]
}

export interface SlowlogSummary {
  /** SLOWLOG LEN minus the internal entries read: what clients waited on */
  length: number
  /** entries read that are not client commands: replication (PSYNC, SYNC, REPLCONF) and rcdiag's own */
  internalEntries: number
  /** entries read (SLOWLOG GET 128) */
  read: number
  maxDurationUs: number
  /** by command name, most total time first */
  topCommands: Array<{command: string; count: number; totalUs: number; maxUs: number}>
  /** by key pattern (numbers, hex, ids normalised; arguments escaped), most total time first */
  topPatterns: Array<{pattern: string; count: number; totalUs: number; maxUs: number}>
  newestTimestamp?: number
}

export interface NodeEvidence {
  address: string
  /** cluster node id when known */
  id?: string
  /** what the node says it is (INFO replication), else what the topology says */
  role: 'master' | 'replica' | 'unknown'
  /** the role the discovered topology (the seed's CLUSTER SHARDS/NODES/SLOTS) gives it */
  announcedRole?: 'master' | 'replica' | 'unknown'
  /** slots this node serves in the discovered topology (masters; 0 for replicas) */
  slots?: number
  /** vendor and version from INFO server; undefined when INFO could not be read */
  server?: ServerIdentity
  reachable: boolean
  error?: string
  /** where rcdiag connected when --nat-map rewrote the announced address */
  connectedAt?: string
  /** the announced address led to another node: the id that answered there, and that node's announced address */
  answeredAs?: {id: string; announcedAs?: string}
  /** stuck: answers only that it cannot serve, or accepts connections and answers nothing */
  blocked?: {kind: BlockedKind; reason: string}
  rttMs?: number
  rttMinMs?: number
  topologyCallMs?: number
  /** CONFIG values; numeric ones as numbers (timeout is seconds, maxmemory bytes) */
  config: Record<string, number | string>
  skipped: SkippedCheck[]
  clients?: ClientsSummary
  slowlog?: SlowlogSummary
  /** CLUSTER INFO cluster_state */
  clusterState?: string
  clusterSlotsOk?: number
  clusterSlotsPfail?: number
  clusterSlotsFail?: number
  currentEpoch?: number
  /** this node's view of which node id owns each slot range (from CLUSTER NODES) */
  slotOwners?: Array<{start: number; end: number; ownerId: string; ownerAddress: string}>
  migrating: Array<{slot: number; toNodeId: string}>
  importing: Array<{slot: number; fromNodeId: string}>
  latencyLatest: LatencyLatestEvent[]
  /** server-side latency percentiles per command (INFO latencystats, µs, cumulative since start) */
  latencystats: Record<string, LatencyPercentiles>
  /** this node's config epoch (CLUSTER NODES, myself) */
  configEpoch?: number
  /** selected INFO fields, numeric */
  stats: NodeStats
}

export interface NodeStats {
  connectedClients?: number
  blockedClients?: number
  totalConnectionsReceived?: number
  rejectedConnections?: number
  totalCommandsProcessed?: number
  instantaneousOpsPerSec?: number
  usedMemory?: number
  usedMemoryRss?: number
  memFragmentationRatio?: number
  evictedKeys?: number
  expiredKeys?: number
  uptimeSeconds?: number
  /** µs of the last fork (BGSAVE, BGREWRITEAOF, full sync) */
  latestForkUsec?: number
  rdbBgsaveInProgress?: number
  aofRewriteInProgress?: number
  rdbLastBgsaveOk?: number
  /** replicas: 1 when master_link_status is up, 0 when down */
  masterLinkUp?: number
  masterLinkDownSinceSeconds?: number
  connectedReplicas?: number
  /** 1 when this master was promoted from replica since it started (master_replid2 set) */
  promotedSinceStart?: number
}

export interface Rates {
  opsPerSec: number
  newConnectionsPerSec: number
  /** cluster|slots + cluster|shards + cluster|nodes */
  topologyCallsPerSec: number
  configGetPerSec: number
  /** null when a node cannot count redirects (no INFO errorstats before Redis 6.2): unknown, not 0 */
  movedPerSec: number | null
  askPerSec: number | null
  rejectedConnectionsPerSec: number
  evictedKeysPerSec: number
  expiredKeysPerSec: number
}

export interface SampleEvidence {
  durationMs: number
  cluster: Rates
  nodes: Array<{address: string; rates: Rates; connectedClients?: number}>
  /** nodes whose role or config epoch changed between the two snapshots */
  changes: Array<{
    address: string
    what: string
    /** role and epoch changes are a failover; a node that stopped (or started) answering, with neither, is a stall */
    kind: 'role' | 'epoch' | 'reachability'
  }>
}

/**
 * Whether the addresses the cluster announces lead to its nodes from here. The seed answered at the
 * address the user gave; clients (rcdiag's own connections included) follow the announced ones.
 */
export interface AddressingEvidence {
  /** the address the user gave, where the seed answered */
  seed: string
  /** the seed's node id (CLUSTER MYID); undefined when refused */
  seedId?: string
  /** the address the cluster announces for the seed's own node */
  seedAnnouncedAs?: string
  /** cluster_state as the seed reported it during discovery */
  seedClusterState?: string
  /** --nat-map rules given (FROM=TO) */
  natMap: string[]
  /** nodes rcdiag reached at a mapped address */
  mappedNodes: number
  /** true when the announced addresses, not the nodes, are what fails: see `failing` */
  unusable: boolean
  /** when unusable: every announced address that did not lead to its node, and why */
  failing: Array<{address: string; connectedAt?: string; reason: string; answeredAs?: {id: string; announcedAs?: string}}>
  /** when unusable: a --nat-map that leads the seed's announced address to where the seed answered */
  suggestedNatMap?: string
}

export interface ClusterEvidence {
  /** from the seed's CLUSTER INFO, or "fail" if any reachable node says so; "unknown" when no node told */
  state: string
  /** where `state` comes from: the nodes read by the probe, or (none read) the seed during discovery */
  stateFrom?: 'nodes' | 'seed'
  slotsCovered: number
  masters: number
  replicas: number
  /** which command the node list came from (CLUSTER SHARDS, NODES or SLOTS) */
  topologySource: string
}

/** What the rules read. Pure data: a rule never opens a connection. */
export interface ProbeEvidence {
  mode: 'cluster' | 'standalone'
  seed: string
  cluster?: ClusterEvidence
  /** cluster mode: whether the announced addresses lead to the nodes from here */
  addressing?: AddressingEvidence
  nodes: NodeEvidence[]
  sample?: SampleEvidence
  /** present when the evidence comes from `rcdiag replay` */
  replay?: ReplayEvidence
  /** when the evidence was gathered (ms since epoch): lets rules tell a fresh event from history */
  takenAtMs?: number
}
