import type {CollectedNode, NodeSnapshot} from '../redis/snapshot-types.js'
import {TOTAL_SLOTS} from '../shared/constants.js'
import {configNumber} from '../parse/config-get.js'
import {infoNumber} from '../parse/info.js'
import {capabilitiesOf, CAPABILITY_SINCE, describeServer, serverIdentity} from '../parse/server.js'
import type {SkippedCheck} from '../parse/types.js'
import type {ClusterNodeLine} from '../parse/types.js'
import type {SeedView, Topology} from '../redis/topology.js'
import {analyseAddressing} from './addressing.js'
import {summarizeClients} from './clients.js'
import {summarizeSlowlog} from './slowlog.js'
import type {ClusterEvidence, NodeEvidence, NodeStats, ProbeEvidence, SampleEvidence} from './types.js'

/** Config values that stay strings even when they look numeric. */
const STRING_CONFIG = new Set([
  'save',
  'appendonly',
  'appendfsync',
  'maxmemory-policy',
  'cluster-require-full-coverage',
  'latency-tracking',
  'replica-serve-stale-data',
])

/** What discovery learnt from the seed, and the --nat-map rules given (FROM=TO). */
export interface DiscoveryView {
  seed: SeedView
  natMap: string[]
}

export function buildEvidence(
  seed: string,
  topology: Topology,
  collected: CollectedNode[],
  sample?: SampleEvidence,
  discovery?: DiscoveryView,
): ProbeEvidence {
  const nodes = collected.map(({snapshot}) => nodeEvidence(snapshot, topology))
  const cluster = topology.mode === 'cluster'
  return {
    mode: topology.mode,
    seed,
    cluster: cluster
      ? clusterEvidence(
          seed,
          topology,
          collected.map((c) => c.snapshot),
          nodes,
          discovery?.seed,
        )
      : undefined,
    ...(cluster && discovery ? {addressing: analyseAddressing(discovery.seed, discovery.natMap, topology, nodes)} : {}),
    nodes,
    sample,
    takenAtMs: Math.max(0, ...collected.map((c) => c.snapshot.takenAtMs)),
  }
}

function nodeEvidence(snapshot: NodeSnapshot, topology: Topology): NodeEvidence {
  const known = topology.nodes.find((n) => n.address === snapshot.address)
  const config = numericConfig(snapshot.config)
  const timeout = typeof config.timeout === 'number' ? config.timeout : undefined
  const clientListRead = snapshot.reachable && !snapshot.skipped.some((s) => s.check === 'client-list')
  const slowlogRead = snapshot.reachable && !snapshot.skipped.some((s) => s.command === 'SLOWLOG GET')
  const myself = snapshot.clusterNodes.find((line) => line.myself)
  return {
    address: snapshot.address,
    id: myself?.id ?? known?.id,
    role: roleOf(snapshot, myself, known?.role),
    announcedRole: known?.role,
    slots: (known?.slots ?? []).reduce((sum, [start, end]) => sum + end - start + 1, 0),
    server: serverIdentity(snapshot.info),
    reachable: snapshot.reachable,
    error: snapshot.error,
    ...(snapshot.connectedAt ? {connectedAt: snapshot.connectedAt} : {}),
    ...(snapshot.answeredAs
      ? {answeredAs: {id: snapshot.answeredAs, announcedAs: topology.nodes.find((n) => n.id === snapshot.answeredAs)?.address}}
      : {}),
    blocked: snapshot.blocked ?? loading(snapshot) ?? masterDown(snapshot),
    rttMs: snapshot.rttMs,
    rttMinMs: snapshot.rttMinMs,
    topologyCallMs: snapshot.topologyCallMs,
    config,
    // the topology commands the seed refused belong to the seed (then the only node known)
    skipped: [...(topology.refused && known === topology.nodes[0] ? topology.refused : []), ...snapshot.skipped, ...unmeasurable(snapshot)],
    clients: clientListRead ? summarizeClients(snapshot.clients, timeout) : undefined,
    slowlog: slowlogRead ? summarizeSlowlog(snapshot.slowlog, snapshot.slowlogLen) : undefined,
    clusterState: snapshot.clusterInfo.cluster_state,
    clusterSlotsOk: num(snapshot.clusterInfo.cluster_slots_ok),
    clusterSlotsPfail: num(snapshot.clusterInfo.cluster_slots_pfail),
    clusterSlotsFail: num(snapshot.clusterInfo.cluster_slots_fail),
    currentEpoch: num(snapshot.clusterInfo.cluster_current_epoch),
    slotOwners: snapshot.clusterNodes.length > 0 ? slotOwners(snapshot.clusterNodes) : undefined,
    migrating: myself?.migrating ?? [],
    importing: myself?.importing ?? [],
    latencyLatest: snapshot.latencyLatest,
    latencystats: snapshot.latencystats,
    configEpoch: myself?.configEpoch,
    stats: nodeStats(snapshot),
  }
}

/**
 * A node loading its dataset answers -LOADING to most commands; the ones probe asks of a standalone
 * server are all allowed meanwhile, so INFO persistence is what tells.
 */
function loading(snapshot: NodeSnapshot): NodeEvidence['blocked'] {
  const persistence = snapshot.info.persistence
  if (persistence?.loading !== '1') return undefined
  const done = persistence.loading_loaded_perc
  const eta = persistence.loading_eta_seconds
  const progress = [done !== undefined ? `${done}% loaded` : '', eta !== undefined && Number(eta) >= 0 ? `about ${eta} s left` : '']
  const text = progress.filter(Boolean).join(', ')
  return {kind: 'loading', reason: `loading its dataset${text ? ` (${text})` : ''}: commands answer -LOADING`}
}

/**
 * A replica that lost its master and is told not to serve stale data answers every read with
 * -MASTERDOWN, while INFO, CONFIG and CLUSTER (what probe asks) still work: stuck for its clients.
 */
function masterDown(snapshot: NodeSnapshot): NodeEvidence['blocked'] {
  const replication = snapshot.info.replication
  if (replication?.role !== 'slave' || replication.master_link_status !== 'down') return undefined
  if (snapshot.config['replica-serve-stale-data'] !== 'no') return undefined
  const since = replication.master_link_down_since_seconds
  const known = since !== undefined && /^\d+$/.test(since) && Number(since) < 1e9
  return {
    kind: 'masterdown',
    reason: `link to its master ${replication.master_host ?? '?'}:${replication.master_port ?? '?'} down${known ? ` for ${since} s` : ''} with replica-serve-stale-data no: reads answer -MASTERDOWN`,
  }
}

function nodeStats(snapshot: NodeSnapshot): NodeStats {
  const info = snapshot.info
  const n = (section: string, field: string) => infoNumber(info, section, field)
  const link = info.replication?.master_link_status
  const replid2 = info.replication?.master_replid2
  const stats: NodeStats = {
    connectedClients: n('clients', 'connected_clients'),
    blockedClients: n('clients', 'blocked_clients'),
    totalConnectionsReceived: n('stats', 'total_connections_received'),
    rejectedConnections: n('stats', 'rejected_connections'),
    totalCommandsProcessed: n('stats', 'total_commands_processed'),
    instantaneousOpsPerSec: n('stats', 'instantaneous_ops_per_sec'),
    usedMemory: n('memory', 'used_memory'),
    usedMemoryRss: n('memory', 'used_memory_rss'),
    memFragmentationRatio: n('memory', 'mem_fragmentation_ratio'),
    evictedKeys: n('stats', 'evicted_keys'),
    expiredKeys: n('stats', 'expired_keys'),
    uptimeSeconds: n('server', 'uptime_in_seconds'),
    latestForkUsec: n('stats', 'latest_fork_usec'),
    rdbBgsaveInProgress: n('persistence', 'rdb_bgsave_in_progress'),
    aofRewriteInProgress: n('persistence', 'aof_rewrite_in_progress'),
    rdbLastBgsaveOk: info.persistence?.rdb_last_bgsave_status ? (info.persistence.rdb_last_bgsave_status === 'ok' ? 1 : 0) : undefined,
    masterLinkUp: link ? (link === 'up' ? 1 : 0) : undefined,
    masterLinkDownSinceSeconds: n('replication', 'master_link_down_since_seconds'),
    connectedReplicas: n('replication', 'connected_slaves'),
    promotedSinceStart: info.replication?.role === 'master' && replid2 ? (/^0+$/.test(replid2) ? 0 : 1) : undefined,
  }
  // JSON stays small and stable: unknown fields are left out rather than null.
  return Object.fromEntries(Object.entries(stats).filter(([, v]) => v !== undefined)) as NodeStats
}

function roleOf(
  snapshot: NodeSnapshot,
  myself: ClusterNodeLine | undefined,
  fallback?: 'master' | 'replica' | 'unknown',
): NodeEvidence['role'] {
  const infoRole = snapshot.info.replication?.role
  if (infoRole === 'master') return 'master'
  if (infoRole === 'slave') return 'replica'
  return myself?.role ?? fallback ?? 'unknown'
}

function numericConfig(raw: Record<string, string>): Record<string, number | string> {
  const out: Record<string, number | string> = {}
  for (const [key, value] of Object.entries(raw)) {
    const n = STRING_CONFIG.has(key) ? undefined : configNumber(value)
    out[key] = n ?? value
  }
  return out
}

/** Each node's own view of slot owners, from its CLUSTER NODES. */
function slotOwners(lines: ClusterNodeLine[]): NonNullable<NodeEvidence['slotOwners']> {
  const owners: NonNullable<NodeEvidence['slotOwners']> = []
  for (const line of lines) {
    if (line.role !== 'master') continue
    for (const [start, end] of line.slots) owners.push({start, end, ownerId: line.id, ownerAddress: line.address})
  }
  return owners.sort((a, b) => a.start - b.start)
}

/**
 * The cluster as a whole. Masters and replicas are counted from the roles the nodes report about
 * themselves (INFO replication) where they answered, from the topology elsewhere, so the counts
 * agree with the nodes table; role-disagreement names the nodes whose roles the topology has wrong.
 */
function clusterEvidence(
  seed: string,
  topology: Topology,
  snapshots: NodeSnapshot[],
  nodes: NodeEvidence[],
  seedView?: SeedView,
): ClusterEvidence {
  const reachable = snapshots.filter((s) => s.reachable && s.clusterInfo.cluster_state)
  const view = reachable.find((s) => s.address === seed) ?? reachable[0]
  const states = reachable.map((s) => s.clusterInfo.cluster_state)
  // No node read (announced addresses unreachable from here): what the seed said during discovery.
  const fromSeed = !view && seedView?.clusterState !== undefined
  const state = view
    ? states.includes('fail')
      ? 'fail'
      : (view.clusterInfo.cluster_state ?? 'unknown')
    : fromSeed
      ? seedView!.clusterState!
      : 'unknown'
  const slotsOk = view ? num(view.clusterInfo.cluster_slots_ok) : seedView?.slotsOk
  return {
    state,
    ...(view ? {stateFrom: 'nodes' as const} : fromSeed ? {stateFrom: 'seed' as const} : {}),
    slotsCovered: slotsOk ?? coveredByTopology(topology),
    masters: nodes.filter((n) => n.role === 'master').length,
    replicas: nodes.filter((n) => n.role === 'replica').length,
    topologySource: topology.source,
  }
}

function coveredByTopology(topology: Topology): number {
  const covered = new Uint8Array(TOTAL_SLOTS)
  for (const node of topology.nodes) {
    if (node.role !== 'master' || node.failed) continue
    for (const [start, end] of node.slots) covered.fill(1, start, end + 1)
  }
  return covered.reduce((sum, v) => sum + v, 0)
}

function num(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  return Number.isFinite(n) ? n : undefined
}

/**
 * What this node's server version cannot tell at all, as skipped checks with the reason: the
 * counters they would feed are null in the report, never a 0 that looks measured.
 */
function unmeasurable(snapshot: NodeSnapshot): SkippedCheck[] {
  const capabilities = capabilitiesOf(snapshot.info)
  const server = serverIdentity(snapshot.info)
  if (!snapshot.reachable || !capabilities || !server) return []
  const name = describeServer(server)
  const out: SkippedCheck[] = []
  if (!capabilities.errorstats) {
    out.push({
      check: 'errorstats',
      command: 'INFO errorstats',
      reason: `${name} does not count error replies (Redis ${CAPABILITY_SINCE.errorstats}+): MOVED and ASK rates unknown`,
      kind: 'unsupported',
    })
  }
  if (!capabilities.latencystats) {
    out.push({
      check: 'latencystats',
      command: 'INFO latencystats',
      reason: `${name} keeps no latency percentiles per command (Redis ${CAPABILITY_SINCE.latencystats}+): server-side p99 unknown, only the mean`,
      kind: 'unsupported',
    })
  }
  if (!capabilities.subcommandStats) {
    out.push({
      check: 'commandstats',
      command: 'INFO commandstats',
      reason:
        `${name} counts commands, not subcommands (Redis ${CAPABILITY_SINCE.subcommandStats}+): topology calls count every CLUSTER call and ` +
        "CONFIG GET every CONFIG call, rcdiag's own subtracted; CLUSTER SLOTS alone is unknown",
      kind: 'unsupported',
    })
  }
  return out
}
