/** slow-commands: what `rcdiag explain slow-commands` prints, and every threshold and confidence its rule uses. */
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
  /** an entry at or above this makes the finding a warning */
  warningMs: 10,
  /** this many SLOWLOG entries in total (SLOWLOG LEN summed) make it a warning too */
  warningEntries: 10,
  /** an entry at or above this raises confidence */
  severeMs: 100,
  /** confidence of a warning (an entry >= `warningMs` or >= `warningEntries` entries), before the addition below */
  warningConfidence: 0.7,
  /** confidence of the info (a few short entries), before the addition below */
  infoConfidence: 0.4,
  /** added when an entry is >= `severeMs` */
  severeConfidence: 0.15,
} as const

const T = THRESHOLDS

export const ENTRY: CatalogEntry = {
  id: 'slow-commands',
  title: 'SLOWLOG holds commands that blocked the server',
  severities: ['info', 'warning'],
  meaning:
    'Redis runs commands one at a time, so a single slow command (KEYS, big HGETALL/SMEMBERS/ZRANGE, big DEL, Lua scripts) delays every command queued behind it on that node. ' +
    'Clients see it as occasional latency spikes that do not correlate with their own commands.',
  detection:
    'Fires when any node has SLOWLOG LEN > 0. ' +
    `Warning when an entry read is >= ${T.warningMs} ms or SLOWLOG LEN summed over nodes is >= ${T.warningEntries}; otherwise info (a few short entries). ` +
    `Entries >= ${T.severeMs} ms raise confidence. ` +
    'The title names the top key pattern by total time (arguments normalised: numbers {n}, hex {hex}, ids {id}; values of writes elided) and the node where it spent most time. ' +
    'Evidence: top key patterns and top commands by total time with counts and max durations, per node SLOWLOG LEN and maximum, the newest entry.',
  remedy:
    'Replace O(N) commands on big keys: SCAN/HSCAN/SSCAN/ZSCAN instead of KEYS/HGETALL/SMEMBERS on large collections, UNLINK instead of DEL for big keys, ' +
    'smaller ranges for ZRANGE/LRANGE, shorter Lua scripts; split big keys. Read the full entries with `rcdiag slowlog`. ' +
    'Note SLOWLOG measures execution only, not network or queueing; `slowlog-log-slower-than` sets what is recorded.',
}
