/** recent-failover: what `rcdiag explain recent-failover` prints, and every threshold and confidence its rule uses. */
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
  /** a promoted master up for less than this was promoted within it: warning; longer: info (the promotion may be old) */
  recentUptimeSec: 3600,
  changeConfidence: 0.85,
  linkDownConfidence: 0.75,
  promotedConfidence: 0.6,
  oldPromotionConfidence: 0.3,
  epochConfidence: 0.3,
} as const

const T = THRESHOLDS

export const ENTRY: CatalogEntry = {
  id: 'recent-failover',
  title: 'A failover or replication problem happened recently',
  severities: ['info', 'warning'],
  meaning:
    'After a failover, clients get MOVED or connection errors until they learn the new master, and a replica resyncing after a broken link forks its master. ' +
    'Failovers caused by network blips or overloaded nodes repeat, producing intermittent latency.',
  detection:
    'Warning when a --sample saw a node change role or config epoch (or stop answering) between its two snapshots: a failover while rcdiag watched; ' +
    'when a replica reports master_link_status down (with master_link_down_since_seconds); ' +
    `or when a master was promoted from replica since it started (INFO master_replid2 set; Redis 7 also sets it after a restart from a persisted dataset) and has been up for less than ${T.recentUptimeSec} s. ` +
    'Info when such a master has been up longer (the promotion may be old), or when reachable nodes report different cluster_current_epoch values ' +
    '(gossip still converging after an epoch bump; it takes seconds in a healthy cluster, so a lasting difference points to partitioned nodes). ' +
    'Evidence: the nodes, role changes, link-down durations, uptimes and epochs.',
  remedy:
    'Find why the master was failed over (server logs, `cluster-node-timeout`, network, swap, long forks); raise `cluster-node-timeout` if network blips trigger failovers; ' +
    'size `repl-backlog-size` so reconnecting replicas avoid a full resync.',
}
