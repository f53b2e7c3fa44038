/** idle-timeout-reconnect: what `rcdiag explain idle-timeout-reconnect` prints, and every threshold and confidence its rule uses. */
import {IDLE_OVER_80PCT_TIMEOUT_FRACTION} from '../../evidence/clients.js'
import type {CatalogEntry} from '../types.js'
import {THRESHOLDS as tcpKeepaliveOffThresholds} from '../tcp-keepalive-off/catalog.js'

export const THRESHOLDS = {
  baseConfidence: 0.6,
  /** added when some connection is idle over `nearTimeoutFraction` of the node's timeout */
  idleClientsConfidence: 0.15,
  /** added when the sample shows new connections together with topology calls */
  sampleConfidence: 0.15,
  maxConfidence: 0.9,
  /**
   * a connection idle over this fraction of its node's timeout is about to be closed; the evidence layer's
   * fraction behind `idleOver80PctTimeout`, which the rule counts
   */
  nearTimeoutFraction: IDLE_OVER_80PCT_TIMEOUT_FRACTION,
  /** recommended pool idle eviction = timeout - margin, margin = clamp(10% of timeout, 1 s, 30 s) */
  evictionMarginFraction: 0.1,
  evictionMarginMinSec: 1,
  evictionMarginMaxSec: 30,
  /** replay: a run confirms the cause when its post-idle p99 is at least this many times its steady p99 */
  replaySpikeRatio: 3,
  /** ... and at least this many ms above it */
  replaySpikeMinMs: 1,
  /** confidence when at least one replay run confirms the cause (spike + connections lost during the gaps) */
  replayConfirmedConfidence: 0.95,
  /** confidence cap when the replay's gaps outlasted every timeout and no model showed a post-idle spike */
  replayNotReproducedConfidence: 0.5,
} as const

const T = THRESHOLDS

export const ENTRY: CatalogEntry = {
  id: 'idle-timeout-reconnect',
  title: 'Server timeout closes idle pooled connections; the first command after a quiet period pays a reconnect',
  severities: ['warning'],
  meaning:
    'The server setting `timeout` (seconds) closes any client connection that has not sent a command for that long. ' +
    'A pooled connection that sat idle through a quiet period is dead when the next command uses it: that command fails or waits for a reconnect, ' +
    'and some cluster clients (redis-py-cluster 2.x) then retry on a random node, get MOVED and re-read the whole slot map from every caller at once. ' +
    'It looks random because it only happens after a gap longer than `timeout`, never under steady load or in short tests. ' +
    'An idle timeout on the path (proxy, load balancer, NAT, firewall) has the same effect even with `timeout 0`, except that a silently dropped connection hangs until the client times out instead of failing fast.',
  detection:
    'Fires when any reachable node has a numeric `timeout` > 0 (CONFIG GET timeout); always a warning. ' +
    `Confidence starts at ${T.baseConfidence}, ` +
    `+${T.idleClientsConfidence} when CLIENT LIST shows connections idle for more than ${T.nearTimeoutFraction * 100}% of the timeout, ` +
    `+${T.sampleConfidence} when a --sample shows new connections/s > 0 together with topology calls/s > 0 (reconnects followed by slot-map refreshes), ` +
    `at most ${T.maxConfidence}. ` +
    'Evidence: the timeout values and their nodes, idle p90/max of client connections, ' +
    `how many are idle over half and over ${T.nearTimeoutFraction * 100}% of the timeout. ` +
    "With `rcdiag replay`, a client model's run confirms the cause when its post-idle p99 is " +
    `>= ${T.replaySpikeRatio} x its steady p99 and >= ${T.replaySpikeMinMs} ms above it, ` +
    'and the workload lost connections during the gaps (the server closed some, by CLIENT LIST, or the run saw connection errors or reconnects after a gap). ' +
    `A confirming run sets confidence to ${T.replayConfirmedConfidence} and makes the rule fire from the replay alone when the timeout is unreadable ` +
    '(or 0: then something on the path, a proxy, load balancer, NAT or firewall, ends idle connections). ' +
    `When the replay's gaps outlasted every timeout and no model spiked, confidence is capped at ${T.replayNotReproducedConfidence}; ` +
    'a gap not longer than the timeout did not exercise it, and the evidence says so with the --idle to rerun with ' +
    `(timeout plus a margin of ${T.evictionMarginFraction * 100}%, ${T.evictionMarginMinSec}..${T.evictionMarginMaxSec} s). ` +
    'Replay evidence per model: post-idle vs steady p99, connections closed by the server, errors and reconnects after the gaps, and how the idle connection failed ' +
    '(closed by the server: the next command fails fast; hung until the client timeout: silently dropped on the way). ' +
    'With timeout 0 and a replay without spike or closures, nothing is reported.',
  remedy:
    'Pick one: (1) `CONFIG SET timeout 0` together with ' +
    `\`CONFIG SET tcp-keepalive ${tcpKeepaliveOffThresholds.recommendedMinSec}\` (${tcpKeepaliveOffThresholds.recommendedMinSec}..${tcpKeepaliveOffThresholds.recommendedMaxSec}) so dead peers are still reaped; ` +
    "persist it with CONFIG REWRITE or in the managed service's parameter group. " +
    '(2) Make the client retire or check idle connections before the server closes them: pool idle eviction below the server timeout ' +
    '(go-redis `ConnMaxIdleTime`, commons-pool/Jedis `minEvictableIdleTime` + `timeBetweenEvictionRuns` + `testWhileIdle`, redis-py `health_check_interval`). ' +
    '(3) On "connection closed by server", reconnect and retry on the same node instead of a random one, and single-flight the slot-map refresh ' +
    '(replace redis-py-cluster 2.x, which does neither).',
}
