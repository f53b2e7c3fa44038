/** server-latency-events: what `rcdiag explain server-latency-events` prints, and every threshold and confidence its rule uses. */
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
  /** any LATENCY LATEST event is a warning; an event whose max is at or above this is critical */
  criticalMs: 100,
  /** the `latency-monitor-threshold` (ms) recommended when the monitor is off */
  suggestedMonitorMs: 100,
  /** when the newest spike is older than this (hours), it is history: info, not warning */
  staleAfterHours: 24,
  warningConfidence: 0.7,
  criticalConfidence: 0.85,
  /** the info "monitor is off": nothing is wrong, something is unseen */
  monitorOffConfidence: 0.2,
} as const

const T = THRESHOLDS

export const ENTRY: CatalogEntry = {
  id: 'server-latency-events',
  title: "The server's latency monitor recorded spikes",
  severities: ['info', 'warning', 'critical'],
  meaning:
    'LATENCY LATEST lists events where the server itself stalled: fork, AOF fsync or write, expire cycle, eviction, active defrag, slow commands. ' +
    "During such a stall every client on that node waits, which shows up as intermittent latency unrelated to the client's own commands.",
  detection:
    'Fires when any reachable node reports LATENCY LATEST events (recorded only when `latency-monitor-threshold` > 0): ' +
    `warning; critical when an event's max is >= ${T.criticalMs} ms. ` +
    'LATENCY LATEST keeps events since start or the last LATENCY RESET: when even the newest spike is older than ' +
    `${T.staleAfterHours} h (by the probe's own clock) the finding is info only, history rather than a current cause; the evidence gives every time. ` +
    'Evidence: event names, latest and max durations, nodes, time of the latest spike. ' +
    'When no node reports events and `latency-monitor-threshold` is 0 on reachable nodes: info, the monitor is off and server-side stalls go unrecorded ' +
    `(\`CONFIG SET latency-monitor-threshold ${T.suggestedMonitorMs}\` turns it on).`,
  remedy:
    'Act on the event: aof-fsync-always/aof-write -> `appendfsync everysec` and faster disks; expire-cycle -> spread TTLs (add jitter); eviction -> more memory or a cheaper policy; ' +
    'fork -> see fork-latency; active-defrag -> tune `active-defrag-cycle-max`. ' +
    `Turn the monitor on with \`CONFIG SET latency-monitor-threshold ${T.suggestedMonitorMs}\` to record stalls >= ${T.suggestedMonitorMs} ms (persist with CONFIG REWRITE); ` +
    "`LATENCY HISTORY <event>` shows when they happened, `LATENCY DOCTOR` gives the server's own advice, `LATENCY RESET` starts afresh after a fix.",
}
