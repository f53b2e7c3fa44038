/** announced-addresses: what `rcdiag explain announced-addresses` prints, and its rule's thresholds. */
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
  /** the addresses are what fails, proven by the seed answering elsewhere: nothing else can be read until they work */
  confidence: 0.99,
  /** failing addresses named one by one in the evidence; the rest are counted */
  maxListed: 6,
} as const

export const ENTRY: CatalogEntry = {
  id: 'announced-addresses',
  title: 'The addresses the cluster announces do not lead to its nodes from here',
  severities: ['critical'],
  meaning:
    'A cluster client connects to the seed you give it only once: from then on it follows the addresses the cluster announces (CLUSTER SLOTS/SHARDS/NODES, MOVED and ASK replies). ' +
    "Behind NAT, in Docker or Kubernetes, or through a bastion's port forwards, nodes announce addresses that only make sense inside their network: " +
    'from here they are refused, time out, or lead to another node (a port forward to the wrong pod). ' +
    'The cluster itself can be perfectly healthy (cluster_state ok): it is unreachable from this host, and every cluster client on this host fails the same way, ' +
    'typically with connect timeouts and endless slot-map refreshes that look like "Redis is sometimes slow" or "sometimes down".',
  detection:
    'Cluster mode only. The seed answered at the address given, and then either an announced address answered with another node id than the topology gives it (CLUSTER MYID), ' +
    "or the seed's own node, announced at another address, did not answer there, or no announced address answered at all (stuck nodes excluded: see node-blocked). " +
    `Critical, confidence ${THRESHOLDS.confidence}, ranked first: until the addresses work nothing else about the nodes can be read. ` +
    'Cluster state then comes from the seed and is never reported as down because of it.',
  remedy:
    'Make the nodes announce addresses clients can reach: `cluster-announce-ip` and `cluster-announce-port` (`cluster-announce-tls-port`, `cluster-announce-bus-port`) on every node, ' +
    'or on Redis 7+ `cluster-announce-hostname` with `cluster-preferred-endpoint-type hostname` so that clients get names your DNS resolves. ' +
    "Or map the addresses in the client: ioredis' `natMap`, redis-py's `address_remap`, Lettuce's `MappingSocketAddressResolver`; " +
    'for rcdiag itself, `--nat-map FROM=TO` (repeatable, host or host:port on each side).',
}
