import {RCDIAG_CLIENT_NAME} from '../shared/constants.js'
import type {ClientEntry} from '../parse/types.js'
import {distribution} from './distribution.js'
import type {ClientGroup, ClientsSummary} from './types.js'

const TOP_GROUPS = 5

/** `idleOverHalfTimeout` counts connections idle for at least this fraction of the node's `timeout`. */
export const IDLE_OVER_HALF_TIMEOUT_FRACTION = 0.5

/** `idleOver80PctTimeout` counts connections idle for at least this fraction of the node's `timeout`: about to be closed. */
export const IDLE_OVER_80PCT_TIMEOUT_FRACTION = 0.8

/**
 * Idle and age distribution of a node's client connections, leaving out rcdiag's own and replication
 * or cluster-internal links (flags S/M), and how many are close to being closed by `timeout`.
 */
export function summarizeClients(clients: ClientEntry[], timeoutSec: number | undefined): ClientsSummary {
  const counted = clients.filter((c) => c.name !== RCDIAG_CLIENT_NAME && !/[SM]/.test(c.flags))
  const idle = counted.map((c) => c.idle)
  const hasTimeout = typeof timeoutSec === 'number' && timeoutSec > 0
  return {
    count: counted.length,
    idle: distribution(idle),
    age: distribution(counted.map((c) => c.age)),
    idleOverHalfTimeout: hasTimeout ? idle.filter((s) => s >= timeoutSec * IDLE_OVER_HALF_TIMEOUT_FRACTION).length : null,
    idleOver80PctTimeout: hasTimeout ? idle.filter((s) => s >= timeoutSec * IDLE_OVER_80PCT_TIMEOUT_FRACTION).length : null,
    topGroups: groupClients(counted),
  }
}

function groupClients(clients: ClientEntry[]): ClientGroup[] {
  const groups = new Map<string, ClientGroup>()
  for (const client of clients) {
    const host = hostOf(client.addr)
    const libName = client.libName ?? ''
    const key = `${host}\u0000${client.name}\u0000${libName}`
    const group = groups.get(key) ?? {host, name: client.name, libName, count: 0, idleMax: 0}
    group.count++
    group.idleMax = Math.max(group.idleMax, client.idle)
    groups.set(key, group)
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.idleMax - a.idleMax).slice(0, TOP_GROUPS)
}

function hostOf(addr: string): string {
  const index = addr.lastIndexOf(':')
  return (index > 0 ? addr.slice(0, index) : addr).replace(/^\[|\]$/g, '')
}
