/** mixed-versions: what `rcdiag explain mixed-versions` prints, and every threshold and confidence its rule uses. */
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
  confidence: 0.5,
} as const

export const ENTRY: CatalogEntry = {
  id: 'mixed-versions',
  title: 'Nodes run different server versions: an upgrade in progress',
  severities: ['info'],
  meaning:
    'During a rolling upgrade (or a move from Redis to Valkey) nodes of one cluster run different versions. ' +
    'Each failover of the upgrade redirects clients (MOVED, slot-map refreshes, reconnects), and versions measure and behave differently: ' +
    'older ones count fewer things (rcdiag reports what they cannot tell as unknown), and defaults such as lazy freeing or client-output-buffer limits may differ. ' +
    'Latency that comes and goes during the upgrade window often has this behind it.',
  detection:
    'Fires, info, when the reachable nodes report more than one vendor/version (INFO server: redis_version, or server_name and valkey_version on Valkey). ' +
    'The evidence lists every version with its nodes, masters first.',
  remedy:
    'Finish the upgrade, replicas first, then fail each master over to an upgraded replica (`CLUSTER FAILOVER` on the replica) so that every failover is planned; ' +
    'read the release notes of the new version for changed defaults; keep client slot-map refreshes single-flight so each failover costs one refresh per client.',
}
