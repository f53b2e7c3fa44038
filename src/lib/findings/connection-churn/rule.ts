import type {ProbeEvidence} from '../../evidence/types.js'
import type {Finding, Rule} from '../types.js'
import {NEW_CONNECTION_AGE_SEC} from '../../evidence/clients.js'
import {describeClientGroup, mergeClientGroups, remedyFor, round} from '../format.js'
import {THRESHOLDS as STORM} from '../topology-refresh-storm/catalog.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS

/** Many new connections per second relative to the steady number of connected clients. */
export const connectionChurn: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const sample = evidence.sample
  if (!sample) return undefined
  const rate = sample.cluster.newConnectionsPerSec
  if (!(rate >= T.minPerSec)) return undefined

  // Steady clients: the sample's per-node counts, else INFO connected_clients from the probe.
  const sampled = sample.nodes.filter((n) => typeof n.connectedClients === 'number')
  const probed = evidence.nodes.filter((n) => n.reachable && typeof n.stats.connectedClients === 'number')
  const clients =
    sampled.length > 0
      ? sampled.reduce((sum, n) => sum + (n.connectedClients as number), 0)
      : probed.length > 0
        ? probed.reduce((sum, n) => sum + (n.stats.connectedClients as number), 0)
        : undefined
  const perClient = clients !== undefined && clients > 0 ? rate / clients : undefined
  if (perClient !== undefined && perClient < T.perClient) return undefined

  const critical = rate >= T.criticalPerSec && perClient !== undefined && perClient >= T.criticalPerClient
  const seconds = round(sample.durationMs / 1000)
  const lines = [`${round(rate, 2)} new connections/s across the cluster over a ${seconds} s sample`]
  if (clients === undefined) lines.push('connected clients unknown: judged on the rate alone')
  else if (perClient === undefined) lines.push(`${clients} connected clients: every connection is new`)
  else {
    lines.push(
      `${clients} connected clients: ${round(perClient, 3)} new connections per client per second (the pool turns over every ${round(1 / perClient)} s)`,
    )
  }
  const busiest = [...sample.nodes]
    .filter((n) => n.rates.newConnectionsPerSec > 0)
    .sort((a, b) => b.rates.newConnectionsPerSec - a.rates.newConnectionsPerSec)
  const top = busiest[0]
  if (top) lines.push(`most on ${top.address}: ${round(top.rates.newConnectionsPerSec, 2)}/s`)
  const topo = sample.cluster.topologyCallsPerSec
  const topoFollows = topo > 0 && topo / rate >= STORM.perNewConnection
  if (topo > 0) lines.push(`${round(topo, 2)} topology calls/s alongside (${round(topo / rate, 2)} per new connection)`)
  if (sample.cluster.rejectedConnectionsPerSec > 0)
    lines.push(`${round(sample.cluster.rejectedConnectionsPerSec, 2)} rejected connections/s (maxclients)`)
  const ages = evidence.nodes.filter((n) => n.reachable && n.clients && n.clients.count > 0).map((n) => n.clients!.age.p50)
  if (ages.length > 0) lines.push(`client connection age p50 per node: ${round(Math.min(...ages))}-${round(Math.max(...ages))} s`)
  const sources = mergeClientGroups(
    evidence.nodes.filter((n) => n.reachable && n.clients).map((n) => ({groups: n.clients!.newGroups})),
    'newCount',
  )
  if (sources.length > 0) {
    lines.push(
      `the new connections come from ${sources
        .slice(0, 3)
        .map((g) => `${describeClientGroup(g)} (${g.newCount} opened in the last ${NEW_CONNECTION_AGE_SEC} s on ${g.nodes} node(s))`)
        .join(', ')}`,
    )
  }

  let confidence: number = T.baseConfidence
  if (topoFollows) confidence += T.topologyConfidence
  if (critical) confidence += T.criticalConfidence

  const metrics: Record<string, number> = {
    newConnectionsPerSec: rate,
    topologyCallsPerSec: topo,
    rejectedConnectionsPerSec: sample.cluster.rejectedConnectionsPerSec,
    sampleSeconds: seconds,
  }
  if (clients !== undefined) metrics.connectedClients = clients
  if (perClient !== undefined) metrics.newConnectionsPerClientPerSec = round(perClient, 4)
  if (top) metrics.maxNodeNewConnectionsPerSec = top.rates.newConnectionsPerSec

  return {
    id: 'connection-churn',
    severity: critical ? 'critical' : 'warning',
    confidence: Math.min(T.maxConfidence, round(confidence, 2)),
    title: `Connection churn: ${round(rate, 1)} new connections/s` + (clients !== undefined ? ` for ${clients} connected clients` : ''),
    evidence: lines,
    remedy: remedyFor(ENTRY),
    nodes: busiest.map((n) => n.address),
    metrics,
  }
}
