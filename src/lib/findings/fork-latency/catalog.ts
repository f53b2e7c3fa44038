/** fork-latency: what `rcdiag explain fork-latency` prints, and every threshold and confidence its rule uses. */
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
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
  /** confidence of a critical finding (longest fork >= `criticalMs`) */
  criticalConfidence: 0.85,
  /** confidence of a warning (longest fork >= `warningMs`) */
  warningConfidence: 0.6,
  /** confidence of the info (a fork below `warningMs`, or only a save/rewrite in progress) */
  infoConfidence: 0.3,
} as const

const T = THRESHOLDS

export const ENTRY: CatalogEntry = {
  id: 'fork-latency',
  title: 'Persistence forks stall the server',
  severities: ['info', 'warning', 'critical'],
  meaning:
    'BGSAVE, AOF rewrite and full replica syncs fork the server; copying the page tables of a large dataset blocks the main thread for the duration of the fork. ' +
    'Saves are periodic, so the stalls look intermittent.',
  detection:
    'Fires when a reachable node reports INFO latest_fork_usec > 0 (a BGSAVE, BGREWRITEAOF or full replica sync forked since start) or a LATENCY LATEST "fork" event; the longest fork decides. ' +
    `Info below ${T.warningMs} ms, warning at >= ${T.warningMs} ms, critical at >= ${T.criticalMs} ms. ` +
    'Evidence: fork time per node, a save or AOF rewrite in progress (rdb_bgsave_in_progress, aof_rewrite_in_progress), persistence settings, used memory (fork time grows with it) ' +
    `and, from ${T.perGibMinBytes / 1024 ** 3} GiB used, the fork time per GiB (>= ${T.slowPerGibMs} ms/GiB: a slow-forking host; bare metal forks at ~10-20 ms/GiB).`,
  remedy:
    'Persist on replicas only (`CONFIG SET save ""` and `appendonly no` on masters when durability allows), save less often, keep datasets per node smaller (more shards), ' +
    'disable transparent huge pages (`echo never > /sys/kernel/mm/transparent_hugepage/enabled`), and avoid VMs with slow fork (old Xen).',
}
