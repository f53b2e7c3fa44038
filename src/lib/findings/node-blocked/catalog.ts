/** node-blocked: what `rcdiag explain node-blocked` prints, and every threshold and confidence its rule uses. */
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
  /**
   * a stuck node is a cause, not a symptom: every command for its slots waits or fails. Above
   * cluster-state-fail's critical confidence, which a stall past cluster-node-timeout also raises.
   */
  confidence: 0.98,
} as const

export const ENTRY: CatalogEntry = {
  id: 'node-blocked',
  title: 'A node is stuck: it answers only that it cannot serve, or answers nothing',
  severities: ['critical'],
  meaning:
    'Redis runs one command at a time. A Lua script or function that runs past `busy-reply-threshold` (`lua-time-limit` before Redis 7) makes the node answer every other command with -BUSY until it ends or is killed; ' +
    'a node loading its dataset answers -LOADING; a replica whose master is down answers -MASTERDOWN (with `replica-serve-stale-data no`); ' +
    'a node that is stopped (SIGSTOP, a frozen VM), paused (CLIENT PAUSE), swapping or overloaded accepts connections and answers nothing. ' +
    'Every command for that node\'s slots fails or waits out the client timeout, while the rest of the cluster looks healthy: a textbook "sometimes slow".',
  detection:
    "From probe's one round trip per node: the node answered with -BUSY, -LOADING or -MASTERDOWN (to any command of the round trip or to the connection's handshake), " +
    'its INFO says it is loading (persistence loading:1, with its progress), or it is a replica whose master link is down with `replica-serve-stale-data no` (its reads answer -MASTERDOWN while INFO still works), ' +
    'or it accepted the TCP connection and did not answer within --command-timeout (a refused connection is a dead node, not a stuck one: see cluster-state-fail). ' +
    `Critical, confidence ${THRESHOLDS.confidence}; the evidence names each node with the kind and the server's words. Those refusals are not listed as skipped checks.`,
  remedy:
    'BUSY: `SCRIPT KILL` (or `FUNCTION KILL`) on the node; if the script already wrote, only `SHUTDOWN NOSAVE` ends it; then fix the script (bounded loops, SCAN in batches). ' +
    'LOADING: wait for the load to finish (INFO persistence: loading_loaded_perc); keep datasets per node smaller. ' +
    'MASTERDOWN: bring the master back or fail over; `replica-serve-stale-data yes` lets the replica answer reads meanwhile. ' +
    'No answer: look at the host (is the process stopped, swapping, starved of CPU?), `CLIENT UNPAUSE` if someone paused it, and fail over to a replica if the node does not recover.',
}
