import {describeServer} from '../parse/server.js'
import {makeTable} from '../render/table.js'

import {DEFAULT_LAB_NAME} from './state.js'
import type {LabState, LabStatus} from './types.js'

/** Human output of `rcdiag lab up | status | down`. */

const nameFlag = (name: string) => (name === DEFAULT_LAB_NAME ? '' : ` --name ${name}`)

export function renderLabUp(state: LabState, elapsedMs?: number): string {
  const table = makeTable(['Node', 'Role', 'PID', 'Slots / master'])
  for (const n of state.nodes) {
    const detail = n.slots ? `${n.slots[0]}-${n.slots[1]}` : n.replicaOf ? `of ${n.replicaOf}` : ''
    table.push([n.address, n.role, String(n.pid), detail])
  }
  const kind = state.standalone ? 'standalone server' : `cluster of ${state.nodes.length} nodes`
  const took = elapsedMs === undefined ? '' : ` in ${(elapsedMs / 1000).toFixed(1)} s`
  const o = state.options
  const lines = [
    `Lab "${state.name}" is up${took}: ${kind}, ${describeServer(state.server ?? {vendor: 'redis', version: state.redisVersion})}${state.tls ? ', TLS only' : ''}.`,
    table.toString(),
    `timeout ${o.timeoutSec} s, tcp-keepalive ${o.tcpKeepaliveSec} s${state.standalone ? '' : `, cluster-node-timeout ${o.clusterNodeTimeoutMs} ms`}` +
      (o.config.length > 0 ? `, ${o.config.map(([k, v]) => `${k} ${v}`).join(', ')}` : ''),
    `Seed: ${state.seed}`,
    `  rcdiag probe ${state.tls ? 'rediss://' : ''}${state.seed}${state.tls && o.tls ? ` --cacert ${o.tls.caFile}` : ''}`,
  ]
  if (state.password) lines.push('  (requirepass is set: give the password with --password or REDISCLI_AUTH)')
  lines.push(`Stop it with: rcdiag lab down${nameFlag(state.name)}`)
  return lines.join('\n')
}

const yesNo = (v: boolean) => (v ? 'yes' : 'NO')

export function renderLabStatus(status: LabStatus): string {
  const table = makeTable(
    status.standalone
      ? ['Node', 'Server', 'Role', 'PID', 'Alive', 'Answering']
      : ['Node', 'Server', 'Role', 'PID', 'Alive', 'Answering', 'cluster_state', 'Slots known'],
  )
  for (const n of status.nodes) {
    const role = n.role && n.role !== n.expectedRole ? `${n.role} (was ${n.expectedRole})` : n.expectedRole
    const row = [n.address, n.server ?? '-', role, String(n.pid), yesNo(n.alive), n.alive ? yesNo(n.answering) : '-']
    if (!status.standalone) row.push(n.clusterState ?? '-', n.slotsAssigned === undefined ? '-' : String(n.slotsAssigned))
    table.push(row)
  }
  const cluster = status.standalone ? '' : `, cluster_state ${status.clusterState}`
  const lines = [`Lab "${status.name}": ${status.state}${cluster} (seed ${status.seed}).`, table.toString()]
  const errors = status.nodes.filter((n) => n.error)
  for (const n of errors) lines.push(`${n.address}: ${n.error}`)
  if (status.state !== 'up') lines.push(`Stop it with: rcdiag lab down${nameFlag(status.name)}`)
  return lines.join('\n')
}
