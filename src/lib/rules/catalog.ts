/**
 * The findings catalog: the single source of truth for every finding id rcdiag can report.
 *
 * `rcdiag explain` prints these entries; rules take their remedy text from here (plus the measured
 * specifics) and their thresholds from THRESHOLDS below, whose values are also interpolated into the
 * `detection` texts. Findings and `explain` therefore cannot disagree: change a number here and both
 * the rule and its documentation change with it.
 */
import {usageError} from '../errors.js'
import type {Severity} from '../evidence/types.js'

export const FINDING_IDS = [
  'idle-timeout-reconnect',
  'topology-refresh-storm',
  'connection-churn',
  'slow-commands',
  'server-latency-events',
  'fork-latency',
  'cluster-state-fail',
  'slot-map-disagreement',
  'slot-migration',
  'recent-failover',
  'node-imbalance',
  'client-limit',
  'memory-pressure',
  'tcp-keepalive-off',
  'network-rtt',
  'client-side-latency',
  'config-unreadable',
] as const

export type FindingId = (typeof FINDING_IDS)[number]

export interface CatalogEntry {
  id: FindingId
  /** one line */
  title: string
  /** the severities a finding with this id can take, lowest first */
  severities: Severity[]
  /** what it is and why it causes intermittent latency */
  meaning: string
  /** the signals and thresholds rcdiag uses */
  detection: string
  /** what to change */
  remedy: string
}

/**
 * Every threshold a rule compares against. Rules import these; detection texts below are built from
 * them. Entries for rules not written yet are the thresholds those rules must use.
 */
export const THRESHOLDS = {
  idleTimeoutReconnect: {
    baseConfidence: 0.6,
    /** added when some connection is idle over `nearTimeoutFraction` of the node's timeout */
    idleClientsConfidence: 0.15,
    /** added when the sample shows new connections together with topology calls */
    sampleConfidence: 0.15,
    maxConfidence: 0.9,
    nearTimeoutFraction: 0.8,
    /** recommended pool idle eviction = timeout - margin, margin = clamp(10% of timeout, 1 s, 30 s) */
    evictionMarginFraction: 0.1,
    evictionMarginMinSec: 1,
    evictionMarginMaxSec: 30,
    /** replay: a run confirms the cause when its post-idle p99 is at least this many times its steady p99 */
    replaySpikeRatio: 3,
    /** ... and at least this many ms above it */
    replaySpikeMinMs: 1,
    /** confidence when at least one replay run confirms the cause (spike + connections lost during the gaps) */
    replayConfirmedConfidence: 0.95,
    /** confidence cap when the replay's gaps outlasted every timeout and no model showed a post-idle spike */
    replayNotReproducedConfidence: 0.5,
  },
  tcpKeepaliveOff: {
    recommendedMinSec: 60,
    recommendedMaxSec: 300,
    warningConfidence: 0.5,
    infoConfidence: 0.3,
  },
  topologyRefreshStorm: {
    /** below this cluster-wide rate nothing is reported */
    minPerSec: 1,
    /** topology calls per new connection that mark refreshes as following reconnects */
    perNewConnection: 0.2,
    /**
     * without new connections or MOVED, rates below this are taken for periodic refresh
     * (ioredis refreshes every 5 s by default: 0.2/s per client instance)
     */
    unexplainedPerSec: 5,
    criticalPerSec: 20,
    /** replay: a run whose post-idle slot-map refreshes per gap exceed this fires (a healthy client needs at most one) */
    replayRefreshesPerGap: 1,
    /** replay: critical when this many refreshes ran at once after a gap (stampede factor) */
    replayCriticalStampede: 5,
    /** replay: critical too when refreshes per gap reach this fraction of the workers (every caller refreshes) */
    replayCriticalConcurrencyFraction: 0.5,
  },
  connectionChurn: {
    minPerSec: 5,
    /** new connections per second per connected client */
    perClient: 0.1,
    criticalPerSec: 100,
    criticalPerClient: 1,
  },
  slowCommands: {
    /** an entry at or above this makes the finding a warning */
    warningMs: 10,
    /** this many SLOWLOG entries in total (SLOWLOG LEN summed) make it a warning too */
    warningEntries: 10,
    /** an entry at or above this raises confidence */
    severeMs: 100,
  },
  serverLatencyEvents: {
    /** any LATENCY LATEST event is a warning; an event whose max is at or above this is critical */
    criticalMs: 100,
    /** the `latency-monitor-threshold` (ms) recommended when the monitor is off */
    suggestedMonitorMs: 100,
    /** when the newest spike is older than this (hours), it is history: info, not warning */
    staleAfterHours: 24,
    warningConfidence: 0.7,
    criticalConfidence: 0.85,
    /** the info "monitor is off": nothing is wrong, something is unseen */
    monitorOffConfidence: 0.2,
  },
  forkLatency: {
    /**
     * latest_fork_usec (or a LATENCY LATEST fork event) at or above this is a warning; any fork below it is info.
     * Not lower: a healthy 6 GB instance on bare metal forks in ~80 ms, and a nearly empty server in a
     * container or sandboxed VM already takes ~10 ms (measured on the lab hosts).
     */
    warningMs: 100,
    criticalMs: 500,
    /** ms per GiB of used memory above which the host forks slowly (bare metal forks at ~10-20 ms/GiB) */
    slowPerGibMs: 50,
    /** the ms/GiB figure is only shown from this much used memory (small heaps fork in fixed time) */
    perGibMinBytes: 1024 ** 3,
  },
  clusterStateFail: {totalSlots: 16384},
  recentFailover: {
    /** a promoted master up for less than this was promoted within it: warning; longer: info (the promotion may be old) */
    recentUptimeSec: 3600,
    changeConfidence: 0.85,
    linkDownConfidence: 0.75,
    promotedConfidence: 0.6,
    oldPromotionConfidence: 0.3,
    epochConfidence: 0.3,
  },
  nodeImbalance: {
    /** a master's sampled ops/s at least this many times the median of the other masters... */
    opsRatio: 3,
    /** ... and at least this many ops/s */
    minOpsPerSec: 100,
    /** a master's used memory at least this many times the median of the other masters... */
    memoryRatio: 2,
    /** ... and at least this many bytes above it */
    minMemoryDiffBytes: 100 * 1024 ** 2,
    opsConfidence: 0.7,
    memoryConfidence: 0.5,
  },
  clientLimit: {nearMaxclientsFraction: 0.8, criticalMaxclientsFraction: 0.95},
  memoryPressure: {
    /** used_memory at or above this fraction of maxmemory (when maxmemory > 0) */
    warningFraction: 0.9,
    fragmentationRatio: 1.5,
    /** below this RSS fragmentation ratios mean nothing (a small heap always looks fragmented) */
    fragmentationMinRssBytes: 100 * 1024 ** 2,
  },
  networkRtt: {ratioToMedian: 3, minExtraMs: 2, absoluteInfoMs: 50},
  clientSideLatency: {
    /** replay's client p99 (steady or post-idle) at least this many times the server-side HMGET p99 (else mean) */
    ratioToServer: 10,
    /** ... and at least this many ms above it */
    minGapMs: 5,
    /** a SLOWLOG entry at or above this on a reachable node is a server-side cause: the rule stays silent */
    serverSlowlogMs: 10,
    confidence: 0.7,
    /** taken off when the server side is only known as a mean (no latencystats p99, Redis < 7) */
    meanOnlyPenalty: 0.1,
    /** taken off when SLOWLOG could not be read on some reachable node (a server cause may be hidden) */
    slowlogUnreadPenalty: 0.1,
  },
} as const

const T = THRESHOLDS

/** The safety margin around a server timeout (seconds): clamp(10% of timeout, 1 s, 30 s). */
export function timeoutMarginSec(timeoutSec: number): number {
  const t = T.idleTimeoutReconnect
  return Math.min(t.evictionMarginMaxSec, Math.max(t.evictionMarginMinSec, Math.ceil(timeoutSec * t.evictionMarginFraction)))
}

/** Recommended pool idle eviction (seconds) for a server timeout: timeout minus a margin. */
export function poolIdleBelowTimeout(timeoutSec: number): number {
  return Math.max(0, timeoutSec - timeoutMarginSec(timeoutSec))
}

/** An idle gap (seconds) for `rcdiag replay --idle` that surely outlasts a server timeout: timeout plus the margin. */
export function idleGapAboveTimeout(timeoutSec: number): number {
  return timeoutSec + timeoutMarginSec(timeoutSec)
}

/**
 * What each replay client behaviour model does on a closed connection (see DESIGN.md, client behaviour
 * models). Findings name a model with this, so a measured difference reads as a recommendation.
 */
export const CLIENT_MODEL_BEHAVIOUR: Readonly<Record<string, string>> = Object.freeze({
  ioredis: 'the ioredis Cluster client with its defaults',
  'refresh-on-error': 'redis-py-cluster 2.x: retry on a random node, then every caller re-reads the slot map',
  'single-flight': 'reconnect and retry the same node, one refresh at a time',
})

/** "single-flight (reconnect and retry the same node, one refresh at a time)"; unknown models by name only. */
export function describeClientModel(client: string): string {
  const behaviour = Object.hasOwn(CLIENT_MODEL_BEHAVIOUR, client) ? CLIENT_MODEL_BEHAVIOUR[client] : undefined
  return behaviour ? `${client} (${behaviour})` : client
}

const ENTRIES: CatalogEntry[] = [
  {
    id: 'idle-timeout-reconnect',
    title: 'Server timeout closes idle pooled connections; the first command after a quiet period pays a reconnect',
    severities: ['warning'],
    meaning:
      'The server setting `timeout` (seconds) closes any client connection that has not sent a command for that long. ' +
      'A pooled connection that sat idle through a quiet period is dead when the next command uses it: that command fails or waits for a reconnect, ' +
      'and some cluster clients (redis-py-cluster 2.x) then retry on a random node, get MOVED and re-read the whole slot map from every caller at once. ' +
      'It looks random because it only happens after a gap longer than `timeout`, never under steady load or in short tests. ' +
      'An idle timeout on the path (proxy, load balancer, NAT, firewall) has the same effect even with `timeout 0`, except that a silently dropped connection hangs until the client times out instead of failing fast.',
    detection:
      'Fires when any reachable node has a numeric `timeout` > 0 (CONFIG GET timeout); always a warning. ' +
      `Confidence starts at ${T.idleTimeoutReconnect.baseConfidence}, ` +
      `+${T.idleTimeoutReconnect.idleClientsConfidence} when CLIENT LIST shows connections idle for more than ${T.idleTimeoutReconnect.nearTimeoutFraction * 100}% of the timeout, ` +
      `+${T.idleTimeoutReconnect.sampleConfidence} when a --sample shows new connections/s > 0 together with topology calls/s > 0 (reconnects followed by slot-map refreshes), ` +
      `at most ${T.idleTimeoutReconnect.maxConfidence}. ` +
      'Evidence: the timeout values and their nodes, idle p90/max of client connections, how many are idle over half and over 80% of the timeout. ' +
      'With `rcdiag replay`, a client model\'s run confirms the cause when its post-idle p99 is ' +
      `>= ${T.idleTimeoutReconnect.replaySpikeRatio} x its steady p99 and >= ${T.idleTimeoutReconnect.replaySpikeMinMs} ms above it, ` +
      'and the workload lost connections during the gaps (the server closed some, by CLIENT LIST, or the run saw connection errors or reconnects after a gap). ' +
      `A confirming run sets confidence to ${T.idleTimeoutReconnect.replayConfirmedConfidence} and makes the rule fire from the replay alone when the timeout is unreadable ` +
      '(or 0: then something on the path, a proxy, load balancer, NAT or firewall, ends idle connections). ' +
      `When the replay's gaps outlasted every timeout and no model spiked, confidence is capped at ${T.idleTimeoutReconnect.replayNotReproducedConfidence}; ` +
      'a gap not longer than the timeout did not exercise it, and the evidence says so with the --idle to rerun with (timeout plus a margin of 10%, 1..30 s). ' +
      'Replay evidence per model: post-idle vs steady p99, connections closed by the server, errors and reconnects after the gaps, and how the idle connection failed ' +
      '(closed by the server: the next command fails fast; hung until the client timeout: silently dropped on the way). ' +
      'With timeout 0 and a replay without spike or closures, nothing is reported.',
    remedy:
      'Pick one: (1) `CONFIG SET timeout 0` together with ' +
      `\`CONFIG SET tcp-keepalive ${T.tcpKeepaliveOff.recommendedMinSec}\` (${T.tcpKeepaliveOff.recommendedMinSec}..${T.tcpKeepaliveOff.recommendedMaxSec}) so dead peers are still reaped; ` +
      'persist it with CONFIG REWRITE or in the managed service\'s parameter group. ' +
      '(2) Make the client retire or check idle connections before the server closes them: pool idle eviction below the server timeout ' +
      '(go-redis `ConnMaxIdleTime`, commons-pool/Jedis `minEvictableIdleTime` + `timeBetweenEvictionRuns` + `testWhileIdle`, redis-py `health_check_interval`). ' +
      '(3) On "connection closed by server", reconnect and retry on the same node instead of a random one, and single-flight the slot-map refresh ' +
      '(replace redis-py-cluster 2.x, which does neither).',
  },
  {
    id: 'topology-refresh-storm',
    title: 'Clients re-read the cluster slot map at a high rate',
    severities: ['warning', 'critical'],
    meaning:
      'Cluster clients fetch the slot map with CLUSTER SLOTS, CLUSTER SHARDS or CLUSTER NODES. ' +
      'Some do it on every reconnect or MOVED, on every caller at once and often against every startup node over fresh connections: a stampede. ' +
      'Each refresh costs a connection and a full topology reply, and commands wait behind it, so a burst of refreshes turns a 10 ms call into hundreds of milliseconds.',
    detection:
      'From a --sample: cluster-wide topology calls/s (cmdstat cluster|slots + cluster|shards + cluster|nodes) ' +
      `must be >= ${T.topologyRefreshStorm.minPerSec}/s, and the calls must look reactive: ` +
      `>= ${T.topologyRefreshStorm.perNewConnection} topology calls per new connection, or MOVED/s > 0, ` +
      `or >= ${T.topologyRefreshStorm.unexplainedPerSec}/s, more than periodic refresh explains (ioredis refreshes every 5 s: 0.2/s per client instance). ` +
      `Warning; critical at >= ${T.topologyRefreshStorm.criticalPerSec}/s. ` +
      'Evidence: topology calls/s, CONFIG GET/s (redis-py-cluster reads cluster-require-full-coverage on each refresh), new connections/s, MOVED/s, the node taking most, the measured cost of one CLUSTER SLOTS. ' +
      `From \`rcdiag replay\`: fires when a client model's post-idle slot-map refreshes per gap are > ${T.topologyRefreshStorm.replayRefreshesPerGap} ` +
      '(a client that only needs to reconnect refreshes at most once per gap); ' +
      `critical when the stampede factor (most refreshes running at once after a gap) is >= ${T.topologyRefreshStorm.replayCriticalStampede} ` +
      `or refreshes per gap reach ${T.topologyRefreshStorm.replayCriticalConcurrencyFraction * 100}% of the workers (every caller refreshes on its own), else warning. ` +
      'Evidence: refreshes per gap, stampede factor, the server-side topology calls (CLUSTER SLOTS/SHARDS/NODES), CONFIG GET calls, new connections and MOVED after the gaps, per model; ' +
      'when both a sample and a replay fire, the more severe decides.',
    remedy:
      'Make refreshes single-flight (one refresh at a time per client process, others wait for its result) and rate-limited; ' +
      'do not refresh on a connection error, only on MOVED, and then update the one slot from the MOVED reply; ' +
      'retry a closed connection on the same node. Fix what triggers the refreshes (see idle-timeout-reconnect, connection-churn, slot-migration). ' +
      'Client settings: ioredis `slotsRefreshTimeout`/`slotsRefreshInterval`, Lettuce `ClusterTopologyRefreshOptions` with adaptive refresh triggers and a `refreshTriggersReconnectAttempts` threshold; replace redis-py-cluster 2.x.',
  },
  {
    id: 'connection-churn',
    title: 'Many new connections per second relative to the steady client count',
    severities: ['warning', 'critical'],
    meaning:
      'Every new connection costs a TCP (and TLS) handshake, AUTH/HELLO and, for cluster clients, usually a topology refresh, before its first command runs. ' +
      'High churn means many commands pay that setup latency, and the server spends event-loop time accepting connections instead of serving commands.',
    detection:
      `Needs --sample. Fires when cluster-wide new connections/s (total_connections_received) is >= ${T.connectionChurn.minPerSec}/s ` +
      `and >= ${T.connectionChurn.perClient} x the connected clients per second (summed over nodes: the sample's counts, else INFO connected_clients from the probe); when the client count is unknown the rate alone decides. ` +
      `Warning; critical at >= ${T.connectionChurn.criticalPerSec}/s and >= ${T.connectionChurn.criticalPerClient} x connected clients per second (the whole pool replaced every second).`,
    remedy:
      'Use a long-lived connection pool per process instead of a connection per request (PHP-FPM and serverless: persistent connections or a proxy such as Envoy\'s Redis proxy); ' +
      'keep a minimum of idle connections warm; check whether the server `timeout` (idle-timeout-reconnect), `maxclients` rejections or `client-output-buffer-limit` kills force the reconnects.',
  },
  {
    id: 'slow-commands',
    title: 'SLOWLOG holds commands that blocked the server',
    severities: ['info', 'warning'],
    meaning:
      'Redis runs commands one at a time, so a single slow command (KEYS, big HGETALL/SMEMBERS/ZRANGE, big DEL, Lua scripts) delays every command queued behind it on that node. ' +
      'Clients see it as occasional latency spikes that do not correlate with their own commands.',
    detection:
      'Fires when any node has SLOWLOG LEN > 0. ' +
      `Warning when an entry read is >= ${T.slowCommands.warningMs} ms or SLOWLOG LEN summed over nodes is >= ${T.slowCommands.warningEntries}; otherwise info (a few short entries). ` +
      `Entries >= ${T.slowCommands.severeMs} ms raise confidence. ` +
      'The title names the top key pattern by total time (arguments normalised: numbers {n}, hex {hex}, ids {id}; values of writes elided) and the node where it spent most time. ' +
      'Evidence: top key patterns and top commands by total time with counts and max durations, per node SLOWLOG LEN and maximum, the newest entry.',
    remedy:
      'Replace O(N) commands on big keys: SCAN/HSCAN/SSCAN/ZSCAN instead of KEYS/HGETALL/SMEMBERS on large collections, UNLINK instead of DEL for big keys, ' +
      'smaller ranges for ZRANGE/LRANGE, shorter Lua scripts; split big keys. Read the full entries with `rcdiag slowlog`. ' +
      'Note SLOWLOG measures execution only, not network or queueing; `slowlog-log-slower-than` sets what is recorded.',
  },
  {
    id: 'server-latency-events',
    title: 'The server\'s latency monitor recorded spikes',
    severities: ['info', 'warning', 'critical'],
    meaning:
      'LATENCY LATEST lists events where the server itself stalled: fork, AOF fsync or write, expire cycle, eviction, active defrag, slow commands. ' +
      'During such a stall every client on that node waits, which shows up as intermittent latency unrelated to the client\'s own commands.',
    detection:
      'Fires when any reachable node reports LATENCY LATEST events (recorded only when `latency-monitor-threshold` > 0): ' +
      `warning; critical when an event's max is >= ${T.serverLatencyEvents.criticalMs} ms. ` +
      'LATENCY LATEST keeps events since start or the last LATENCY RESET: when even the newest spike is older than ' +
      `${T.serverLatencyEvents.staleAfterHours} h (by the probe's own clock) the finding is info only, history rather than a current cause; the evidence gives every time. ` +
      'Evidence: event names, latest and max durations, nodes, time of the latest spike. ' +
      'When no node reports events and `latency-monitor-threshold` is 0 on reachable nodes: info, the monitor is off and server-side stalls go unrecorded ' +
      `(\`CONFIG SET latency-monitor-threshold ${T.serverLatencyEvents.suggestedMonitorMs}\` turns it on).`,
    remedy:
      'Act on the event: aof-fsync-always/aof-write -> `appendfsync everysec` and faster disks; expire-cycle -> spread TTLs (add jitter); eviction -> more memory or a cheaper policy; ' +
      'fork -> see fork-latency; active-defrag -> tune `active-defrag-cycle-max`. ' +
      `Turn the monitor on with \`CONFIG SET latency-monitor-threshold ${T.serverLatencyEvents.suggestedMonitorMs}\` to record stalls >= ${T.serverLatencyEvents.suggestedMonitorMs} ms (persist with CONFIG REWRITE); ` +
      '`LATENCY HISTORY <event>` shows when they happened, `LATENCY DOCTOR` gives the server\'s own advice, `LATENCY RESET` starts afresh after a fix.',
  },
  {
    id: 'fork-latency',
    title: 'Persistence forks stall the server',
    severities: ['info', 'warning', 'critical'],
    meaning:
      'BGSAVE, AOF rewrite and full replica syncs fork the server; copying the page tables of a large dataset blocks the main thread for the duration of the fork. ' +
      'Saves are periodic, so the stalls look intermittent.',
    detection:
      'Fires when a reachable node reports INFO latest_fork_usec > 0 (a BGSAVE, BGREWRITEAOF or full replica sync forked since start) or a LATENCY LATEST "fork" event; the longest fork decides. ' +
      `Info below ${T.forkLatency.warningMs} ms, warning at >= ${T.forkLatency.warningMs} ms, critical at >= ${T.forkLatency.criticalMs} ms. ` +
      'Evidence: fork time per node, a save or AOF rewrite in progress (rdb_bgsave_in_progress, aof_rewrite_in_progress), persistence settings, used memory (fork time grows with it) ' +
      `and, from ${T.forkLatency.perGibMinBytes / 1024 ** 3} GiB used, the fork time per GiB (>= ${T.forkLatency.slowPerGibMs} ms/GiB: a slow-forking host; bare metal forks at ~10-20 ms/GiB).`,
    remedy:
      'Persist on replicas only (`CONFIG SET save ""` and `appendonly no` on masters when durability allows), save less often, keep datasets per node smaller (more shards), ' +
      'disable transparent huge pages (`echo never > /sys/kernel/mm/transparent_hugepage/enabled`), and avoid VMs with slow fork (old Xen).',
  },
  {
    id: 'cluster-state-fail',
    title: 'The cluster is not fully healthy: state not ok, uncovered or failing slots, or unreachable nodes',
    severities: ['warning', 'critical'],
    meaning:
      'When cluster_state is fail or slots are uncovered, commands for those slots get CLUSTERDOWN errors; clients retry and refresh their slot map, which shows up as errors and latency. ' +
      'A node in PFAIL or unreachable from rcdiag is the early sign: a failover (and its redirects) may be coming.',
    detection:
      'Cluster mode only. Critical when the cluster state is not "ok", slots covered < ' +
      `${T.clusterStateFail.totalSlots}, any reachable node reports cluster_state other than "ok", or any node reports cluster_slots_fail > 0. ` +
      'Warning when only cluster_slots_pfail > 0 or a node is unreachable from rcdiag.',
    remedy:
      'Look at `CLUSTER NODES` for fail/pfail flags and `redis-cli --cluster check HOST:PORT`. Bring failed nodes back or promote a replica (`CLUSTER FAILOVER` on the replica, FORCE if the master is down); ' +
      'assign uncovered slots with `redis-cli --cluster fix HOST:PORT`. Keep at least one replica per master. ' +
      '`cluster-require-full-coverage no` keeps the covered slots serving while some are down; `cluster-allow-reads-when-down yes` allows reads too.',
  },
  {
    id: 'slot-map-disagreement',
    title: 'Nodes disagree about which node owns some slots',
    severities: ['critical'],
    meaning:
      'Each node keeps its own slot map and redirects with MOVED when it thinks another node owns a slot. ' +
      'When nodes disagree, clients that follow one node\'s view get MOVED by another: redirect loops and repeated slot-map refreshes for every client.',
    detection:
      'Compares the slot -> owner id views (from CLUSTER NODES) of every reachable node that returned one; unreachable nodes and nodes without a view are ignored. ' +
      'Fires, critical, when at least one slot has two different owners in two views. Confidence is lower when slots are being migrated (views converge after CLUSTER SETSLOT). ' +
      'Evidence: number of slots in disagreement, an example slot with both views, which nodes hold the minority view and their epochs.',
    remedy:
      'Views normally converge within seconds through the cluster bus; if not: check that every node reaches every other on the cluster bus port (port + 10000 by default) and that no configEpoch collides; ' +
      'run `redis-cli --cluster check HOST:PORT` and `redis-cli --cluster fix HOST:PORT`; on a stale node `CLUSTER SETSLOT <slot> NODE <owner-id>`; remove ghosts with `CLUSTER FORGET`.',
  },
  {
    id: 'slot-migration',
    title: 'Slots are being migrated between nodes',
    severities: ['warning'],
    meaning:
      'While a slot migrates, keys already moved are answered with ASK redirects: each such command pays an extra round trip, and clients that treat ASK like MOVED refresh their slot map. ' +
      'A migration interrupted halfway leaves the markers in place and the redirects forever.',
    detection:
      'Fires, warning, when any reachable node shows migrating or importing markers in its CLUSTER NODES line. ' +
      'Evidence: slot numbers, source -> target addresses (resolved from node ids), slots marked on only one side (interrupted resharding), ASK/s when sampled.',
    remedy:
      'Let the resharding finish, and schedule it off-peak. For a stuck migration run `redis-cli --cluster fix HOST:PORT`, or finish it by hand with MIGRATE and `CLUSTER SETSLOT <slot> NODE <target-id>`, ' +
      'or abort with `CLUSTER SETSLOT <slot> STABLE` on both nodes. Make sure the client handles ASK by sending ASKING to the target without refreshing its slot map.',
  },
  {
    id: 'recent-failover',
    title: 'A failover or replication problem happened recently',
    severities: ['info', 'warning'],
    meaning:
      'After a failover, clients get MOVED or connection errors until they learn the new master, and a replica resyncing after a broken link forks its master. ' +
      'Failovers caused by network blips or overloaded nodes repeat, producing intermittent latency.',
    detection:
      'Warning when a --sample saw a node change role or config epoch (or stop answering) between its two snapshots: a failover while rcdiag watched; ' +
      'when a replica reports master_link_status down (with master_link_down_since_seconds); ' +
      `or when a master was promoted from replica since it started (INFO master_replid2 set; Redis 7 also sets it after a restart from a persisted dataset) and has been up for less than ${T.recentFailover.recentUptimeSec} s. ` +
      'Info when such a master has been up longer (the promotion may be old), or when reachable nodes report different cluster_current_epoch values ' +
      '(gossip still converging after an epoch bump; it takes seconds in a healthy cluster, so a lasting difference points to partitioned nodes). ' +
      'Evidence: the nodes, role changes, link-down durations, uptimes and epochs.',
    remedy:
      'Find why the master was failed over (server logs, `cluster-node-timeout`, network, swap, long forks); raise `cluster-node-timeout` if network blips trigger failovers; ' +
      'size `repl-backlog-size` so reconnecting replicas avoid a full resync.',
  },
  {
    id: 'node-imbalance',
    title: 'One master carries far more load or memory than the others',
    severities: ['warning'],
    meaning:
      'A hot slot or hot key concentrates load on one node: that node queues while the others idle, so only commands for its slots are slow, which clients see as random latency.',
    detection:
      'Compares masters only, at least two. ' +
      `Warning when a master's ops/s (needs --sample) is >= ${T.nodeImbalance.opsRatio} x the median of the other masters and >= ${T.nodeImbalance.minOpsPerSec}/s, ` +
      `or when its used_memory is >= ${T.nodeImbalance.memoryRatio} x the median of the other masters and >= ${T.nodeImbalance.minMemoryDiffBytes / 1024 ** 2} MB above it. ` +
      'The title names the hot node (by ops/s when both fire). Evidence: ops/s and used memory of every master.',
    remedy:
      'Find the hot keys (`redis-cli --hotkeys` with an LFU policy, or `--bigkeys`/`--memkeys`), then split them, cache them client-side, or rebalance slots with `redis-cli --cluster rebalance`.',
  },
  {
    id: 'client-limit',
    title: 'Connections are rejected or close to maxclients',
    severities: ['warning', 'critical'],
    meaning:
      'When `maxclients` is reached the server refuses new connections: clients see errors and retry with backoff, which shows up as latency.',
    detection:
      `Critical when a --sample shows rejected connections/s > 0 or a node's connected_clients is >= ${T.clientLimit.criticalMaxclientsFraction * 100}% of its maxclients; ` +
      `warning when rejected_connections > 0 since start or connected_clients is >= ${T.clientLimit.nearMaxclientsFraction * 100}% of maxclients. ` +
      'Evidence: rejected connections (total and per second) and connected clients / maxclients per node.',
    remedy:
      'Raise `maxclients` (and the file descriptor limit, `ulimit -n`), shrink client pools, and fix connection leaks and churn (see connection-churn).',
  },
  {
    id: 'memory-pressure',
    title: 'Memory is near maxmemory, keys are evicted, or memory is fragmented',
    severities: ['warning'],
    meaning:
      'Near `maxmemory` every write may trigger evictions inside the command; heavy fragmentation and swapping make memory access slow. All add latency that comes and goes with the write rate.',
    detection:
      'Warning when a reachable node has evicted keys (evicted_keys > 0 since start; a --sample adds the eviction rate, evicted keys/s > 0), ' +
      `when used_memory is >= ${T.memoryPressure.warningFraction * 100}% of maxmemory (maxmemory > 0), ` +
      `or when mem_fragmentation_ratio is >= ${T.memoryPressure.fragmentationRatio} with used_memory_rss >= ${T.memoryPressure.fragmentationMinRssBytes / 1024 ** 2} MB ` +
      '(a small instance always shows a high ratio: ignored below that RSS). Evidence: per node used memory / maxmemory, policy, evictions, RSS and ratio.',
    remedy:
      'Raise `maxmemory` or add shards, set TTLs, choose an eviction policy that fits (`allkeys-lru`/`allkeys-lfu`), enable `activedefrag yes` for fragmentation, and make sure the host never swaps.',
  },
  {
    id: 'tcp-keepalive-off',
    title: 'tcp-keepalive is 0: dead peers and dropped idle flows go unnoticed',
    severities: ['info', 'warning'],
    meaning:
      'With `tcp-keepalive 0` the server sends no TCP keepalive probes, so connections whose client vanished or whose idle flow a NAT, firewall or load balancer silently dropped stay open on the server and count against maxclients. ' +
      'Idle flows through such middleboxes are also not kept alive, so a client\'s next command on a pooled connection can be black-holed until TCP retransmissions or the client timeout give up: seconds of latency, then a reconnect.',
    detection:
      'Fires when any reachable node has `tcp-keepalive` = 0. ' +
      'Warning when such a node also has `timeout` 0 or unreadable (nothing ever reaps dead connections); ' +
      'info when every such node has `timeout` > 0 (the server closes idle connections anyway; idle-timeout-reconnect covers that latency).',
    remedy:
      `\`CONFIG SET tcp-keepalive ${T.tcpKeepaliveOff.recommendedMinSec}\` (${T.tcpKeepaliveOff.recommendedMinSec}..${T.tcpKeepaliveOff.recommendedMaxSec}; 300 is the default since Redis 3.2.1), persisted with CONFIG REWRITE or the parameter group; ` +
      'and enable keepalive on the client sockets too (ioredis `keepAlive`, redis-py `socket_keepalive=True`, Lettuce `SocketOptions.keepAlive`).',
  },
  {
    id: 'network-rtt',
    title: 'One node is much slower to answer than the rest',
    severities: ['info', 'warning'],
    meaning:
      'A node behind a congested link, in another zone, or on an overloaded host answers every command late; only keys in its slots are slow, which looks intermittent from the client.',
    detection:
      `Warning when a reachable node's fastest PING round trip (of 3; the median also carries scheduling noise) is >= ${T.networkRtt.ratioToMedian} x the median of the other reachable nodes and >= ${T.networkRtt.minExtraMs} ms above it, ` +
      'and such nodes are fewer than half of the nodes (when half look slow there is no "rest" to compare with: rcdiag\'s own host was busy, or the nodes sit in two places); ' +
      `info when every reachable node is >= ${T.networkRtt.absoluteInfoMs} ms away (rcdiag runs far from the cluster; its timings include that). ` +
      'Evidence: every node\'s round trip, slowest first.',
    remedy:
      'Check the host (CPU steal, load), the network path and zone placement of the slow node; move it or its clients closer, or fail over to a replica in a better place.',
  },
  {
    id: 'client-side-latency',
    title: 'Latency seen by the client is far above what the server reports, with no server-side cause',
    severities: ['warning'],
    meaning:
      'When the server executes commands fast but the client waits long, the time goes to the client itself: connection setup, redirects, slot-map refreshes, its own event loop or GC, ' +
      'waiting for a free pooled connection, or the network.',
    detection:
      `From \`rcdiag replay\`: warning when a client model's steady or post-idle p99, minus rcdiag's own event-loop delay p99 in that phase (latency the tool added itself), ` +
      `is >= ${T.clientSideLatency.ratioToServer} x the server-side HMGET time ` +
      `(latencystats p99, else the commandstats mean) and >= ${T.clientSideLatency.minGapMs} ms above it, ` +
      `while no reachable node shows a server-side cause (a SLOWLOG entry >= ${T.clientSideLatency.serverSlowlogMs} ms, or LATENCY LATEST events). ` +
      'Not reported when only the post-idle p99 is high and that run reconnected, lost connections or refreshed its slot map after the gaps: ' +
      'idle-timeout-reconnect and topology-refresh-storm already explain that excess. ' +
      `Confidence ${T.clientSideLatency.confidence}, minus ${T.clientSideLatency.meanOnlyPenalty} when the server side is only a mean, ` +
      `minus ${T.clientSideLatency.slowlogUnreadPenalty} when SLOWLOG could not be read on some node. ` +
      'Evidence: client p99 vs server p99 (or mean) per model, rcdiag\'s PING round trip, and what remains: the client\'s event loop, GC, network or connection pool.',
    remedy:
      'Look at replay\'s per-operation attribution (reconnects, redirects, refreshes) and the client behaviour models; fix the client\'s recovery policy (see idle-timeout-reconnect, topology-refresh-storm). ' +
      'Otherwise measure the client: event-loop delay (Node `perf_hooks.monitorEventLoopDelay`, asyncio debug mode and slow-callback logging), GC pauses, time spent waiting for a pooled connection ' +
      '(raise the pool size or lower the concurrency), and the network path (compare with rcdiag\'s PING round trip from the same host).',
  },
  {
    id: 'config-unreadable',
    title: 'Some checks could not run: CONFIG or another command is disabled',
    severities: ['info', 'warning'],
    meaning:
      'Managed services and restrictive ACLs rename or deny CONFIG, CLIENT LIST, SLOWLOG or LATENCY. ' +
      'rcdiag cannot see what it cannot read, so the checks that depend on them (timeout, tcp-keepalive, idle ages, slow commands) were skipped, and their absence from the report is not a clean bill of health.',
    detection:
      'Fires when any reachable node reports skipped checks. Warning when every reachable node refused CONFIG (so idle-timeout-reconnect and tcp-keepalive-off cannot be evaluated); otherwise info. ' +
      'Evidence: each skipped check with its command, on how many nodes, and the server\'s reason.',
    remedy:
      'Grant the read-only commands rcdiag uses: `ACL SETUSER <user> +ping +info +config|get +client|list +slowlog|get +slowlog|len +latency|latest +cluster|info +cluster|nodes +cluster|slots +cluster|shards`. ' +
      'Managed services may never allow CONFIG: read `timeout` and `tcp-keepalive` from the provider\'s parameter group or console instead.',
  },
]

export const CATALOG: ReadonlyArray<Readonly<CatalogEntry>> = Object.freeze(ENTRIES.map((entry) => Object.freeze(entry)))

const BY_ID = new Map<string, Readonly<CatalogEntry>>(CATALOG.map((entry) => [entry.id, entry]))

export function isFindingId(id: string): id is FindingId {
  return BY_ID.has(id)
}

/** The catalog entry for an id; throws a usage error (exit 2) for an unknown id. */
export function catalogEntry(id: string): Readonly<CatalogEntry> {
  const entry = BY_ID.get(id)
  if (!entry) {
    throw usageError(`unknown finding id "${id}"; known ids: ${FINDING_IDS.join(', ')}`)
  }
  return entry
}

/** A finding's remedy: the measured specifics first, then the catalog's remedy for the id. */
export function remedyFor(id: FindingId, ...specifics: Array<string | undefined>): string {
  return [...specifics.filter((s): s is string => Boolean(s)), catalogEntry(id).remedy].join(' ')
}
