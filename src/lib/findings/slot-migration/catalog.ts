/** slot-migration: what `rcdiag explain slot-migration` prints, and every threshold and confidence its rule uses. */
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
  /** confidence of any migration finding before the additions below */
  baseConfidence: 0.7,
  /** added when a --sample shows ASK redirects/s > 0 */
  askConfidence: 0.1,
  /** added when some slot is marked on one side only (an interrupted resharding) */
  halfMarkedConfidence: 0.1,
} as const

export const ENTRY: CatalogEntry = {
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
}
