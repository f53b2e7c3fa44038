/** topology-refresh-storm: what `rcdiag explain topology-refresh-storm` prints, and every threshold and confidence its rule uses. */
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
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
  /** from a --sample: confidence before the additions below */
  baseConfidence: 0.6,
  /** from a --sample: added when the refreshes follow reconnects (>= `perNewConnection` per new connection) */
  reconnectsConfidence: 0.15,
  /** from a --sample: added when MOVED/s > 0 (redirects trigger the refreshes) */
  movedConfidence: 0.1,
  /** from a --sample: added when the rate is critical (>= `criticalPerSec`) */
  criticalConfidence: 0.1,
  /** from a replay: confidence when some client model storms, before the additions below */
  replayConfidence: 0.85,
  /** from a replay: added when a storming run's refreshes reached the server (server-side topology calls after the gaps > 0) */
  replayServerCallsConfidence: 0.05,
  /** from a replay: added when the storm is critical */
  replayCriticalConfidence: 0.05,
  /** added to the higher of the two confidences when both a --sample and a replay fire */
  bothSourcesConfidence: 0.05,
  /** confidence cap */
  maxConfidence: 0.95,
} as const

const T = THRESHOLDS

export const ENTRY: CatalogEntry = {
  id: 'topology-refresh-storm',
  title: 'Clients re-read the cluster slot map at a high rate',
  severities: ['warning', 'critical'],
  meaning:
    'Cluster clients fetch the slot map with CLUSTER SLOTS, CLUSTER SHARDS or CLUSTER NODES. ' +
    'Some do it on every reconnect or MOVED, on every caller at once and often against every startup node over fresh connections: a stampede. ' +
    'Each refresh costs a connection and a full topology reply, and commands wait behind it, so a burst of refreshes turns a 10 ms call into hundreds of milliseconds.',
  detection:
    'From a --sample: cluster-wide topology calls/s (cmdstat cluster|slots + cluster|shards + cluster|nodes) ' +
    `must be >= ${T.minPerSec}/s, and the calls must look reactive: ` +
    `>= ${T.perNewConnection} topology calls per new connection, or MOVED/s > 0, ` +
    `or >= ${T.unexplainedPerSec}/s, more than periodic refresh explains (ioredis refreshes every 5 s: 0.2/s per client instance). ` +
    `Warning; critical at >= ${T.criticalPerSec}/s. ` +
    'Evidence: topology calls/s, CONFIG GET/s (redis-py-cluster reads cluster-require-full-coverage on each refresh), new connections/s, MOVED/s, the node taking most, the measured cost of one CLUSTER SLOTS. ' +
    `From \`rcdiag replay\`: fires when a client model's post-idle slot-map refreshes per gap are > ${T.replayRefreshesPerGap} ` +
    '(a client that only needs to reconnect refreshes at most once per gap); ' +
    `critical when the stampede factor (most refreshes running at once after a gap) is >= ${T.replayCriticalStampede} ` +
    `or refreshes per gap reach ${T.replayCriticalConcurrencyFraction * 100}% of the workers (every caller refreshes on its own), else warning. ` +
    'Evidence: refreshes per gap, stampede factor, the server-side topology calls (CLUSTER SLOTS/SHARDS/NODES), CONFIG GET calls, new connections and MOVED after the gaps, per model; ' +
    'when both a sample and a replay fire, the more severe decides.',
  remedy:
    'Make refreshes single-flight (one refresh at a time per client process, others wait for its result) and rate-limited; ' +
    'do not refresh on a connection error, only on MOVED, and then update the one slot from the MOVED reply; ' +
    'retry a closed connection on the same node. Fix what triggers the refreshes (see idle-timeout-reconnect, connection-churn, slot-migration). ' +
    'Client settings: ioredis `slotsRefreshTimeout`/`slotsRefreshInterval`, Lettuce `ClusterTopologyRefreshOptions` with adaptive refresh triggers and a `refreshTriggersReconnectAttempts` threshold; replace redis-py-cluster 2.x.',
}
