/** slot-map-disagreement: what `rcdiag explain slot-map-disagreement` prints, and every threshold and confidence its rule uses. */
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
  /** confidence when no slot is being migrated: the views should agree */
  confidence: 0.9,
  /** confidence when slots are being migrated: the views may still be converging after CLUSTER SETSLOT */
  migratingConfidence: 0.6,
} as const

export const ENTRY: CatalogEntry = {
  id: 'slot-map-disagreement',
  title: 'Nodes disagree about which node owns some slots',
  severities: ['critical'],
  meaning:
    'Each node keeps its own slot map and redirects with MOVED when it thinks another node owns a slot. ' +
    "When nodes disagree, clients that follow one node's view get MOVED by another: redirect loops and repeated slot-map refreshes for every client.",
  detection:
    'Compares the slot -> owner id views (from CLUSTER NODES) of every reachable node that returned one; unreachable nodes and nodes without a view are ignored. ' +
    'Fires, critical, when at least one slot has two different owners in two views. Confidence is lower when slots are being migrated (views converge after CLUSTER SETSLOT). ' +
    'Evidence: number of slots in disagreement, an example slot with both views, which nodes hold the minority view and their epochs.',
  remedy:
    'Views normally converge within seconds through the cluster bus; if not: check that every node reaches every other on the cluster bus port (port + 10000 by default) and that no configEpoch collides; ' +
    'run `redis-cli --cluster check HOST:PORT` and `redis-cli --cluster fix HOST:PORT`; on a stale node `CLUSTER SETSLOT <slot> NODE <owner-id>`; remove ghosts with `CLUSTER FORGET`.',
}
