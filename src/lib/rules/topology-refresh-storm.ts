import type {Finding, ProbeEvidence, Rule} from '../evidence/types.js'
import {remedyFor, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS.topologyRefreshStorm
const round = (n: number, digits = 1) => Number(n.toFixed(digits))

/** Clients re-read the slot map (CLUSTER SLOTS/SHARDS/NODES) at a high, reactive rate. */
export const topologyRefreshStorm: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const sample = evidence.sample
  if (!sample) return undefined
  const {topologyCallsPerSec: rate, newConnectionsPerSec: newConns, movedPerSec: moved, configGetPerSec: configGets} = sample.cluster
  if (!(rate >= T.minPerSec)) return undefined

  const perNewConnection = newConns > 0 ? rate / newConns : undefined
  const followsReconnects = perNewConnection !== undefined && perNewConnection >= T.perNewConnection
  const followsMoved = moved > 0
  if (!followsReconnects && !followsMoved && rate < T.unexplainedPerSec) return undefined

  const critical = rate >= T.criticalPerSec
  const seconds = round(sample.durationMs / 1000)
  const lines = [`${round(rate, 2)} topology calls/s (CLUSTER SLOTS/SHARDS/NODES) across the cluster over a ${seconds} s sample`]
  lines.push(
    perNewConnection !== undefined
      ? `${round(newConns, 2)} new connections/s: ${round(perNewConnection, 2)} topology call(s) per new connection` +
          (followsReconnects ? ' (refreshes follow reconnects)' : '')
      : 'no new connections during the sample',
  )
  if (configGets > 0) lines.push(`${round(configGets, 2)} CONFIG GET/s alongside (redis-py-cluster reads cluster-require-full-coverage on every refresh)`)
  lines.push(`${round(moved, 2)} MOVED/s` + (followsMoved ? ': redirects trigger refreshes' : ''))

  const busiest = [...sample.nodes].filter((n) => n.rates.topologyCallsPerSec > 0).sort((a, b) => b.rates.topologyCallsPerSec - a.rates.topologyCallsPerSec)
  const top = busiest[0]
  if (top) {
    const share = rate > 0 ? Math.round((100 * top.rates.topologyCallsPerSec) / rate) : 0
    lines.push(`most on ${top.address}: ${round(top.rates.topologyCallsPerSec, 2)}/s (${share}% of the calls)`)
  }
  const costs = evidence.nodes.filter((n) => n.reachable && typeof n.topologyCallMs === 'number').map((n) => n.topologyCallMs as number)
  const maxCost = costs.length > 0 ? Math.max(...costs) : undefined
  if (maxCost !== undefined) {
    lines.push(`one CLUSTER SLOTS takes up to ${round(maxCost, 2)} ms to serve here: ~${round(maxCost * rate)} ms of server time per second at this rate`)
  }

  let confidence = 0.6
  if (followsReconnects) confidence += 0.15
  if (followsMoved) confidence += 0.1
  if (critical) confidence += 0.1

  const metrics: Record<string, number> = {
    topologyCallsPerSec: rate,
    configGetPerSec: configGets,
    newConnectionsPerSec: newConns,
    movedPerSec: moved,
    sampleSeconds: seconds,
  }
  if (perNewConnection !== undefined) metrics.topologyCallsPerNewConnection = round(perNewConnection, 3)
  if (top) metrics.maxNodeTopologyCallsPerSec = top.rates.topologyCallsPerSec
  if (maxCost !== undefined) metrics.topologyCallMs = maxCost

  return {
    id: 'topology-refresh-storm',
    severity: critical ? 'critical' : 'warning',
    confidence: Math.min(0.95, round(confidence, 2)),
    title: `Slot-map refresh storm: ${round(rate, 1)} topology calls/s` + (followsReconnects ? ` with ${round(newConns, 1)} new connections/s` : ''),
    evidence: lines,
    remedy: remedyFor(
      'topology-refresh-storm',
      followsReconnects ? 'Here the refreshes follow new connections: find why clients reconnect (server timeout, churn) and stop refreshing on reconnect.' : undefined,
    ),
    nodes: busiest.map((n) => n.address),
    metrics,
  }
}
