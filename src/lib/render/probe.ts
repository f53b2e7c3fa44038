import {describeServer} from '../parse/server.js'
import {serversText, skippedLines} from './summaries.js'
import {TOTAL_SLOTS} from '../shared/constants.js'
import {makeTable} from './table.js'
import type {NodeReport, ProbeReport} from '../report/probe-report.js'
import {headline, renderFindings} from './findings.js'

/** The human report: a pure function of the JSON document, so both always agree. */
export function renderProbe(report: ProbeReport): string {
  const parts = [
    summaryLine(report),
    headline(report.findings, report.mode === 'cluster' ? 'cluster' : 'standalone'),
    nodesTable(report.nodes),
  ]
  if (report.sample) parts.push(sampleTable(report))
  if (report.skipped.length > 0) parts.push(skippedLines(report.skipped))
  parts.push(renderFindings(report.findings))
  return parts.join('\n\n') + '\n'
}

function summaryLine(report: ProbeReport): string {
  const reachable = report.nodes.filter((n) => n.reachable).length
  const nodes = `${reachable}/${report.nodes.length} nodes answered`
  const servers = serversText(report.servers)
  const topologyRefused = report.skipped.filter((s) => s.check === 'topology')
  if (topologyRefused.length > 0) {
    const commands = topologyRefused.map((s) => s.command).join(', ')
    return `rcdiag probe ${report.target}: topology unknown (${commands} refused to this user): only the seed was read, ${nodes}, ${report.durationMs} ms`
  }
  if (!report.cluster) return `rcdiag probe ${report.target}: standalone ${servers ?? 'server'}, ${nodes}, ${report.durationMs} ms`
  const c = report.cluster
  const running = servers ? `${servers}, ` : ''
  const state =
    c.stateFrom === 'seed' ? `cluster ${c.state} (as the seed says; no node answered at its announced address)` : `cluster ${c.state}`
  const line = `rcdiag probe ${report.target}: ${running}${state}, ${c.slotsCovered}/${TOTAL_SLOTS} slots ok, ${c.masters} masters, ${c.replicas} replicas, ${nodes}, ${report.durationMs} ms`
  const nat = report.addressing?.natMap.length
    ? `\n--nat-map ${report.addressing.natMap.join(', ')}: ${report.addressing.mappedNodes}/${report.nodes.length} nodes reached at a mapped address`
    : ''
  return line + nat
}

function nodesTable(nodes: NodeReport[]): string {
  const table = makeTable([
    'Node',
    'Server',
    'Role',
    'Slots',
    'RTT ms',
    'Slots call ms',
    'timeout s',
    'keepalive s',
    'Clients',
    'Idle p90/max s',
    'Slowlog',
  ])
  for (const node of nodes) {
    if (!node.reachable) {
      table.push([node.address, '-', node.role, node.slots || '-', {colSpan: 7, content: `UNREACHABLE: ${node.error ?? 'no answer'}`}])
      continue
    }
    table.push([
      node.address,
      node.server ? describeServer(node.server) : 'n/a',
      node.role,
      node.role === 'master' && node.slots > 0 ? node.slots : '-',
      fmt(node.rttMs),
      fmt(node.topologyCallMs),
      configCell(node, 'timeout'),
      configCell(node, 'tcp-keepalive'),
      node.clients ? node.clients.count : 'n/a',
      node.clients ? `${node.clients.idle.p90}/${node.clients.idle.max}` : 'n/a',
      node.slowlog ? node.slowlog.length : 'n/a',
    ])
  }
  return `Nodes\n${table.toString()}`
}

function sampleTable(report: ProbeReport): string {
  const sample = report.sample!
  const table = makeTable(['Node', 'ops/s', 'new conn/s', 'topology calls/s', 'config get/s', 'MOVED/s', 'ASK/s', 'rejected/s'])
  const row = (name: string, r: typeof sample.cluster) => [
    name,
    r.opsPerSec,
    r.newConnectionsPerSec,
    r.topologyCallsPerSec,
    r.configGetPerSec,
    r.movedPerSec ?? 'n/a',
    r.askPerSec ?? 'n/a',
    r.rejectedConnectionsPerSec,
  ]
  for (const node of sample.nodes) table.push(row(node.address, node))
  table.push(row('cluster', sample.cluster))
  const note = sample.interrupted ? ' (interrupted early)' : ''
  return `Sample over ${(sample.durationMs / 1000).toFixed(1)} s${note}, rcdiag's own calls excluded\n${table.toString()}`
}

function configCell(node: NodeReport, key: string): string | number {
  const value = node.config[key]
  return value === undefined ? 'n/a' : value
}

/** Two decimals below 10 ms, one above; judged after rounding, so 9.996 reads 10.0, not 10.00. */
function fmt(ms: number | null): string {
  if (ms === null) return '-'
  return Number(ms.toFixed(2)) < 10 ? ms.toFixed(2) : ms.toFixed(1)
}
