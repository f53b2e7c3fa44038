/** role-disagreement: what `rcdiag explain role-disagreement` prints, and every threshold and confidence its rule uses. */
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
  confidence: 0.6,
  /** raised when a node the topology calls a master says it is a replica (clients send it writes that it answers with MOVED) */
  demotedMasterConfidence: 0.7,
} as const

export const ENTRY: CatalogEntry = {
  id: 'role-disagreement',
  title: 'The topology a node announces disagrees with the roles the nodes report about themselves',
  severities: ['warning'],
  meaning:
    'Clients learn which node is a master from the slot map one node gives them (CLUSTER SHARDS, SLOTS or NODES). ' +
    'When that map calls a node a master that says it is a replica (or the other way round), clients that follow it send commands to the wrong node: ' +
    'MOVED redirects, refreshed slot maps and retries, until the views converge. ' +
    'It happens for seconds while gossip converges after a cluster forms or a failover, and for longer when nodes cannot reach each other on the cluster bus.',
  detection:
    "Compares, for every node that answered, the role the seed's topology (the one rcdiag discovered the cluster from) gives it with the role the node reports itself (INFO replication). " +
    'Fires, warning, when they differ for at least one node; the evidence names every such node with both roles. ' +
    `Confidence ${THRESHOLDS.confidence}, ${THRESHOLDS.demotedMasterConfidence} when a node the topology calls a master says it is a replica.`,
  remedy:
    'Probe again in a few seconds: a difference right after a failover or resharding that goes away is gossip converging. ' +
    'If it stays, check that every node reaches every other on the cluster bus port (port + 10000 by default) and look at `CLUSTER NODES` on both sides for fail/pfail flags; ' +
    '`redis-cli --cluster check HOST:PORT` shows the views side by side. Clients should refresh their slot map on MOVED rather than trust a stale one.',
}
