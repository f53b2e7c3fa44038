/**
 * What one `rcdiag watch` read of one node yields: the server's cumulative counters, as it reports
 * them (INFO, LATENCY LATEST, the newest SLOWLOG id). Pure: built from parsed replies; deltas are delta.ts's.
 */
import {infoNumber, parseCommandstats, parseErrorstats} from '../parse/info.js'
import type {InfoSections, LatencyLatestEvent} from '../parse/types.js'

export interface NodeCounters {
  takenAtMs: number
  /** INFO server run_id: a new one is a restart, whatever the counters say */
  runId?: string
  uptimeSec?: number
  role?: 'master' | 'replica'
  connectedClients?: number
  totalConnectionsReceived?: number
  rejectedConnections?: number
  evictedKeys?: number
  /** commandstats calls per key ("hmget", "cluster|slots"; "cluster" before Redis 7) */
  calls: Record<string, number>
  /** errorstats counts per error prefix ("MOVED", "ASK"); null when the server has no errorstats (before Redis 6.2) */
  errors: Record<string, number> | null
  /** id of the newest SLOWLOG entry (-1: empty); ids only grow, unlike SLOWLOG LEN once the log is full */
  slowlogNewestId?: number
  /** LATENCY LATEST: event → unix seconds of its latest spike */
  latencyEvents: Record<string, number>
}

export function countersOf(
  info: InfoSections,
  latencyLatest: LatencyLatestEvent[],
  slowlogNewestId: number | undefined,
  takenAtMs: number,
): NodeCounters {
  const n = (section: string, field: string) => infoNumber(info, section, field)
  const role = info.replication?.role
  const commandstats = parseCommandstats(info.commandstats)
  return {
    takenAtMs,
    runId: info.server?.run_id,
    uptimeSec: n('server', 'uptime_in_seconds'),
    role: role === 'master' ? 'master' : role === 'slave' ? 'replica' : undefined,
    connectedClients: n('clients', 'connected_clients'),
    totalConnectionsReceived: n('stats', 'total_connections_received'),
    rejectedConnections: n('stats', 'rejected_connections'),
    evictedKeys: n('stats', 'evicted_keys'),
    calls: Object.fromEntries(Object.entries(commandstats).map(([key, stat]) => [key, stat.calls])),
    errors: info.errorstats === undefined ? null : parseErrorstats(info.errorstats),
    slowlogNewestId,
    latencyEvents: Object.fromEntries(latencyLatest.map((event) => [event.event, event.timestamp])),
  }
}
