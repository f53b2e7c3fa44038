/** client-side-latency: what `rcdiag explain client-side-latency` prints, and every threshold and confidence its rule uses. */
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
  /** replay's client p99 (steady or post-idle) at least this many times the server-side HMGET p99 (else mean) */
  ratioToServer: 10,
  /** ... and at least this many ms above it */
  minGapMs: 5,
  /** a SLOWLOG entry at or above this on a reachable node is a server-side cause: the rule stays silent */
  serverSlowlogMs: 10,
  confidence: 0.7,
  /** taken off when the server side is only known as a mean (no latencystats p99, Redis < 7) */
  meanOnlyPenalty: 0.1,
  /** taken off when SLOWLOG could not be read on some reachable node (a server cause may be hidden) */
  slowlogUnreadPenalty: 0.1,
} as const

const T = THRESHOLDS

export const ENTRY: CatalogEntry = {
  id: 'client-side-latency',
  title: 'Latency seen by the client is far above what the server reports, with no server-side cause',
  severities: ['warning'],
  meaning:
    'When the server executes commands fast but the client waits long, the time goes to the client itself: connection setup, redirects, slot-map refreshes, its own event loop or GC, ' +
    'waiting for a free pooled connection, or the network.',
  detection:
    `From \`rcdiag replay\`: warning when a client model's steady or post-idle p99, minus rcdiag's own event-loop delay p99 in that phase (latency the tool added itself), ` +
    `is >= ${T.ratioToServer} x the server-side HMGET time ` +
    `(latencystats p99, else the commandstats mean) and >= ${T.minGapMs} ms above it, ` +
    `while no reachable node shows a server-side cause (a SLOWLOG entry >= ${T.serverSlowlogMs} ms, or LATENCY LATEST events). ` +
    'Not reported when only the post-idle p99 is high and that run reconnected, lost connections or refreshed its slot map after the gaps: ' +
    'idle-timeout-reconnect and topology-refresh-storm already explain that excess. ' +
    `Confidence ${T.confidence}, minus ${T.meanOnlyPenalty} when the server side is only a mean, ` +
    `minus ${T.slowlogUnreadPenalty} when SLOWLOG could not be read on some node. ` +
    "Evidence: client p99 vs server p99 (or mean) per model, rcdiag's PING round trip, and what remains: the client's event loop, GC, network or connection pool.",
  remedy:
    "Look at replay's per-operation attribution (reconnects, redirects, refreshes) and the client behaviour models; fix the client's recovery policy (see idle-timeout-reconnect, topology-refresh-storm). " +
    'Otherwise measure the client: event-loop delay (Node `perf_hooks.monitorEventLoopDelay`, asyncio debug mode and slow-callback logging), GC pauses, time spent waiting for a pooled connection ' +
    "(raise the pool size or lower the concurrency), and the network path (compare with rcdiag's PING round trip from the same host).",
}
