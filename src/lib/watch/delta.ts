import type {NodeCounters} from './counters.js'

/** Topology reads: what a client's slot-map refresh costs the server (before Redis 7, every CLUSTER call). */
const TOPOLOGY_KEYS = ['cluster|slots', 'cluster|shards', 'cluster|nodes']

/** One node over one interval. A count the server cannot give, or that reset, is null: never negative, never a 0 that looks measured. */
export interface IntervalDelta {
  durationMs: number
  /** a new run_id or a smaller uptime: every count of this interval is unknown (null) */
  restarted: boolean
  newConnections: number | null
  rejectedConnections: number | null
  evictedKeys: number | null
  topologyCalls: number | null
  /** MOVED/ASK replies; null without errorstats (before Redis 6.2) */
  moved: number | null
  ask: number | null
  /** new SLOWLOG entries (growth of the newest entry's id); null when it went down (a reset log, a restart) */
  slowlogNew: number | null
  /** LATENCY LATEST events with a spike newer than the previous read */
  latencyEvents: string[]
  roleChanged: boolean
}

/**
 * `next` minus `prev`, less rcdiag's own calls made in between (`own`: commandstats key → calls,
 * e.g. {info: 1, 'latency|latest': 1, 'slowlog|len': 1}). A counter that went down reset
 * (CONFIG RESETSTAT, a restart): its delta is null for this interval. `ownConnections`: connections
 * rcdiag itself opened to the node in between (a reconnect of its session).
 */
export function intervalDelta(prev: NodeCounters, next: NodeCounters, own: Record<string, number> = {}, ownConnections = 0): IntervalDelta {
  const restarted =
    (prev.runId !== undefined && next.runId !== undefined && prev.runId !== next.runId) ||
    (prev.uptimeSec !== undefined && next.uptimeSec !== undefined && next.uptimeSec < prev.uptimeSec)
  const diff = (a: number | undefined, b: number | undefined, less = 0): number | null => {
    if (restarted || a === undefined || b === undefined || b < a) return null
    return Math.max(0, b - a - less)
  }
  const ownOf = (key: string) => own[key] ?? own[key.split('|')[0]] ?? 0
  // per-subcommand keys where the server has them, else the parent ("cluster" before Redis 7)
  const topology = (): number | null => {
    const keys = TOPOLOGY_KEYS.some((key) => key in next.calls || key in prev.calls) ? TOPOLOGY_KEYS : ['cluster']
    let sum = 0
    for (const key of keys) {
      const d = diff(prev.calls[key] ?? 0, next.calls[key] ?? 0, keys.length === 1 ? sumOwn(own, 'cluster') : ownOf(key))
      if (d === null) return null
      sum += d
    }
    return sum
  }
  const errorDiff = (key: string) =>
    prev.errors === null || next.errors === null ? null : diff(prev.errors[key] ?? 0, next.errors[key] ?? 0)
  const newEvents = Object.entries(next.latencyEvents)
    .filter(([event, at]) => at > (prev.latencyEvents[event] ?? Number.NEGATIVE_INFINITY))
    .map(([event]) => event)
  return {
    durationMs: next.takenAtMs - prev.takenAtMs,
    restarted,
    // rcdiag's own connection is long-lived: only when it had to reconnect does it add one
    newConnections: diff(prev.totalConnectionsReceived, next.totalConnectionsReceived, ownConnections),
    rejectedConnections: diff(prev.rejectedConnections, next.rejectedConnections),
    evictedKeys: diff(prev.evictedKeys, next.evictedKeys),
    topologyCalls: topology(),
    moved: errorDiff('MOVED'),
    ask: errorDiff('ASK'),
    slowlogNew: diff(prev.slowlogNewestId, next.slowlogNewestId),
    latencyEvents: restarted ? [] : newEvents,
    roleChanged: prev.role !== undefined && next.role !== undefined && prev.role !== next.role,
  }
}

/** All of rcdiag's own calls of a command, subcommands included ("cluster" counts "cluster|info" too). */
function sumOwn(own: Record<string, number>, command: string): number {
  return Object.entries(own)
    .filter(([key]) => key === command || key.startsWith(`${command}|`))
    .reduce((sum, [, calls]) => sum + calls, 0)
}
