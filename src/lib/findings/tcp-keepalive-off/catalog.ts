/** tcp-keepalive-off: what `rcdiag explain tcp-keepalive-off` prints, and every threshold and confidence its rule uses. */
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
  recommendedMinSec: 60,
  recommendedMaxSec: 300,
  warningConfidence: 0.5,
  infoConfidence: 0.3,
} as const

const T = THRESHOLDS

export const ENTRY: CatalogEntry = {
  id: 'tcp-keepalive-off',
  title: 'tcp-keepalive is 0: dead peers and dropped idle flows go unnoticed',
  severities: ['info', 'warning'],
  meaning:
    'With `tcp-keepalive 0` the server sends no TCP keepalive probes, so connections whose client vanished or whose idle flow a NAT, firewall or load balancer silently dropped stay open on the server and count against maxclients. ' +
    "Idle flows through such middleboxes are also not kept alive, so a client's next command on a pooled connection can be black-holed until TCP retransmissions or the client timeout give up: seconds of latency, then a reconnect.",
  detection:
    'Fires when any reachable node has `tcp-keepalive` = 0. ' +
    'Warning when such a node also has `timeout` 0 or unreadable (nothing ever reaps dead connections); ' +
    'info when every such node has `timeout` > 0 (the server closes idle connections anyway; idle-timeout-reconnect covers that latency).',
  remedy:
    `\`CONFIG SET tcp-keepalive ${T.recommendedMinSec}\` (${T.recommendedMinSec}..${T.recommendedMaxSec}; 300 is the default since Redis 3.2.1), persisted with CONFIG REWRITE or the parameter group; ` +
    'and enable keepalive on the client sockets too (ioredis `keepAlive`, redis-py `socket_keepalive=True`, Lettuce `SocketOptions.keepAlive`).',
}
