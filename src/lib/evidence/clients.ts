import {hostOf} from '../shared/address.js'
import {isRcdiagClientName} from '../shared/constants.js'
import type {ClientEntry} from '../parse/types.js'
import {distribution} from './distribution.js'
import type {ClientGroup, ClientsSummary} from './types.js'

const TOP_GROUPS = 5

/** A connection at most this old (CLIENT LIST age, seconds) counts as new: where churn comes from. */
export const NEW_CONNECTION_AGE_SEC = 10

/** `idleOverHalfTimeout` counts connections idle for at least this fraction of the node's `timeout`. */
export const IDLE_OVER_HALF_TIMEOUT_FRACTION = 0.5

/** `idleOver80PctTimeout` counts connections idle for at least this fraction of the node's `timeout`: about to be closed. */
export const IDLE_OVER_80PCT_TIMEOUT_FRACTION = 0.8

/**
 * Idle and age distribution of a node's client connections, leaving out rcdiag's own and replication
 * or cluster-internal links (flags S/M), and how many are close to being closed by `timeout`.
 */
export function summarizeClients(clients: ClientEntry[], timeoutSec: number | undefined): ClientsSummary {
  const counted = clients.filter((c) => !isRcdiagClientName(c.name) && !/[SM]/.test(c.flags))
  const idle = counted.map((c) => c.idle)
  const hasTimeout = typeof timeoutSec === 'number' && timeoutSec > 0
  return {
    count: counted.length,
    idle: distribution(idle),
    age: distribution(counted.map((c) => c.age)),
    idleOverHalfTimeout: hasTimeout ? idle.filter((s) => s >= timeoutSec * IDLE_OVER_HALF_TIMEOUT_FRACTION).length : null,
    idleOver80PctTimeout: hasTimeout ? idle.filter((s) => s >= timeoutSec * IDLE_OVER_80PCT_TIMEOUT_FRACTION).length : null,
    ...groupClients(counted),
  }
}

function groupClients(clients: ClientEntry[]): Pick<ClientsSummary, 'topGroups' | 'newGroups'> {
  const groups = new Map<string, ClientGroup>()
  for (const client of clients) {
    const host = hostOf(client.addr)
    const libName = client.libName ?? ''
    const libVer = client.libVer ?? ''
    const key = [host, client.name, libName, libVer].join('\u0000')
    const group = groups.get(key) ?? {host, name: client.name, libName, libVer, count: 0, idleMax: 0, newCount: 0}
    group.count++
    group.idleMax = Math.max(group.idleMax, client.idle)
    if (client.age <= NEW_CONNECTION_AGE_SEC) group.newCount++
    groups.set(key, group)
  }
  const all = [...groups.values()]
  return {
    topGroups: [...all].sort((a, b) => b.count - a.count || b.idleMax - a.idleMax).slice(0, TOP_GROUPS),
    newGroups: all
      .filter((g) => g.newCount > 0)
      .sort((a, b) => b.newCount - a.newCount || b.count - a.count)
      .slice(0, TOP_GROUPS),
  }
}
