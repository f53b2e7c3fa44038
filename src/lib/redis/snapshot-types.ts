/** What the collector (snapshot.ts) produces per node: the raw material of evidence. Pure types. */
import type {
  BlockedKind,
  ClientEntry,
  ClusterNodeLine,
  CommandStat,
  InfoSections,
  LatencyLatestEvent,
  LatencyPercentiles,
  SkippedCheck,
  TimelineEntry,
} from '../parse/types.js'

/** Everything one pipelined round trip to one node returned, parsed. Raw material for evidence. */
export interface NodeSnapshot {
  /** the address the cluster announces for this node (how reports name it) */
  address: string
  /** where rcdiag connected, when --nat-map rewrote the announced address */
  connectedAt?: string
  /** the node id the node gave for itself (CLUSTER MYID), cluster mode */
  id?: string
  /** the address led to another node than the topology says: the id that answered there */
  answeredAs?: string
  takenAtMs: number
  reachable: boolean
  /** why the node is unreachable (one line, no secrets) */
  error?: string
  /** the node is stuck (a long script, loading, master down, or accepting connections and answering nothing) */
  blocked?: {kind: BlockedKind; reason: string}
  /** median of several PINGs */
  rttMs?: number
  /** fastest of those PINGs: the network's share, without scheduling noise on either side */
  rttMinMs?: number
  /** time to serve one CLUSTER SLOTS: what one client topology refresh costs */
  topologyCallMs?: number
  config: Record<string, string>
  info: InfoSections
  commandstats: Record<string, CommandStat>
  errorstats: Record<string, number>
  latencystats: Record<string, LatencyPercentiles>
  clients: ClientEntry[]
  /** SLOWLOG GET 128, newest first, every entry (internal ones included: evidence leaves them out) */
  slowlog: TimelineEntry[]
  slowlogLen?: number
  latencyLatest: LatencyLatestEvent[]
  clusterInfo: Record<string, string>
  clusterNodes: ClusterNodeLine[]
  skipped: SkippedCheck[]
}

/** Snapshot plus the bookkeeping needed to subtract rcdiag's own traffic from sampled rates. */
export interface CollectedNode {
  snapshot: NodeSnapshot
  /** commandstats key → calls rcdiag made on this node before its INFO ran */
  ownCallsBeforeInfo: Record<string, number>
  /** … and after its INFO ran (INFO itself included) */
  ownCallsAfterInfo: Record<string, number>
  /** connections rcdiag opened to this node before / after its INFO ran */
  ownConnectionsBeforeInfo: number
  ownConnectionsAfterInfo: number
}

/** A snapshot of a node that answered and of which nothing has been read yet: only what is set is known. */
export function emptySnapshot(address: string, takenAtMs: number): NodeSnapshot {
  return {
    address,
    takenAtMs,
    reachable: true,
    config: {},
    info: {},
    commandstats: {},
    errorstats: {},
    latencystats: {},
    clients: [],
    slowlog: [],
    latencyLatest: [],
    clusterInfo: {},
    clusterNodes: [],
    skipped: [],
  }
}
