/** cluster-state-fail: what `rcdiag explain cluster-state-fail` prints, and every threshold and confidence its rule uses. */
import {TOTAL_SLOTS} from '../../shared/constants.js'
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
  /** confidence of a critical finding (state not ok, uncovered slots, a node not ok, slots in FAIL) */
  criticalConfidence: 0.95,
  /** confidence of a warning (only PFAIL slots or nodes unreachable from rcdiag) */
  warningConfidence: 0.7,
} as const

export const ENTRY: CatalogEntry = {
  id: 'cluster-state-fail',
  title: 'The cluster is not fully healthy: state not ok, uncovered or failing slots, or unreachable nodes',
  severities: ['warning', 'critical'],
  meaning:
    'When cluster_state is fail or slots are uncovered, commands for those slots get CLUSTERDOWN errors; clients retry and refresh their slot map, which shows up as errors and latency. ' +
    'A node in PFAIL or unreachable from rcdiag is the early sign: a failover (and its redirects) may be coming.',
  detection:
    'Cluster mode only. Critical when the cluster state is not "ok", slots covered < ' +
    `${TOTAL_SLOTS}, any reachable node reports cluster_state other than "ok", or any node reports cluster_slots_fail > 0. ` +
    'Warning when only cluster_slots_pfail > 0 or a node is unreachable from rcdiag.',
  remedy:
    'Look at `CLUSTER NODES` for fail/pfail flags and `redis-cli --cluster check HOST:PORT`. Bring failed nodes back or promote a replica (`CLUSTER FAILOVER` on the replica, FORCE if the master is down); ' +
    'assign uncovered slots with `redis-cli --cluster fix HOST:PORT`. Keep at least one replica per master. ' +
    '`cluster-require-full-coverage no` keeps the covered slots serving while some are down; `cluster-allow-reads-when-down yes` allows reads too.',
}
