/** client-limit: what `rcdiag explain client-limit` prints, and every threshold and confidence its rule uses. */
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
  nearMaxclientsFraction: 0.8,
  criticalMaxclientsFraction: 0.95,
  /** confidence of a critical finding (rejections during the sample, or at `criticalMaxclientsFraction`) */
  criticalConfidence: 0.9,
  /** confidence of a warning (rejections since start, or at `nearMaxclientsFraction`) */
  warningConfidence: 0.7,
} as const

const T = THRESHOLDS

export const ENTRY: CatalogEntry = {
  id: 'client-limit',
  title: 'Connections are rejected or close to maxclients',
  severities: ['warning', 'critical'],
  meaning:
    'When `maxclients` is reached the server refuses new connections: clients see errors and retry with backoff, which shows up as latency.',
  detection:
    `Critical when a --sample shows rejected connections/s > 0 or a node's connected_clients is >= ${T.criticalMaxclientsFraction * 100}% of its maxclients; ` +
    `warning when rejected_connections > 0 since start or connected_clients is >= ${T.nearMaxclientsFraction * 100}% of maxclients. ` +
    'Evidence: rejected connections (total and per second) and connected clients / maxclients per node.',
  remedy:
    'Raise `maxclients` (and the file descriptor limit, `ulimit -n`), shrink client pools, and fix connection leaks and churn (see connection-churn).',
}
