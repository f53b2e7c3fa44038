/** connection-churn: what `rcdiag explain connection-churn` prints, and every threshold and confidence its rule uses. */
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
  minPerSec: 5,
  /** new connections per second per connected client */
  perClient: 0.1,
  criticalPerSec: 100,
  criticalPerClient: 1,
  /** confidence of any churn finding before the additions below */
  baseConfidence: 0.6,
  /** added when topology calls follow the new connections (>= topology-refresh-storm's `perNewConnection` per new connection) */
  topologyConfidence: 0.15,
  /** added when the churn is critical */
  criticalConfidence: 0.1,
  /** confidence cap */
  maxConfidence: 0.9,
} as const

const T = THRESHOLDS

export const ENTRY: CatalogEntry = {
  id: 'connection-churn',
  title: 'Many new connections per second relative to the steady client count',
  severities: ['warning', 'critical'],
  meaning:
    'Every new connection costs a TCP (and TLS) handshake, AUTH/HELLO and, for cluster clients, usually a topology refresh, before its first command runs. ' +
    'High churn means many commands pay that setup latency, and the server spends event-loop time accepting connections instead of serving commands.',
  detection:
    `Needs --sample. Fires when cluster-wide new connections/s (total_connections_received) is >= ${T.minPerSec}/s ` +
    `and >= ${T.perClient} x the connected clients per second (summed over nodes: the sample's counts, else INFO connected_clients from the probe); when the client count is unknown the rate alone decides. ` +
    `Warning; critical at >= ${T.criticalPerSec}/s and >= ${T.criticalPerClient} x connected clients per second (the whole pool replaced every second).`,
  remedy:
    "Use a long-lived connection pool per process instead of a connection per request (PHP-FPM and serverless: persistent connections or a proxy such as Envoy's Redis proxy); " +
    'keep a minimum of idle connections warm; check whether the server `timeout` (idle-timeout-reconnect), `maxclients` rejections or `client-output-buffer-limit` kills force the reconnects.',
}
