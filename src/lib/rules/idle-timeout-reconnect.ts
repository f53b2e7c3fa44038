import type {Finding, NodeEvidence, ProbeEvidence, Rule} from '../evidence/types.js'
import {poolIdleBelowTimeout, remedyFor, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS.idleTimeoutReconnect
const round = (n: number, digits = 1) => Number(n.toFixed(digits))

function timeoutOf(node: NodeEvidence): number | undefined {
  const value = node.config.timeout
  return typeof value === 'number' && value > 0 ? value : undefined
}

/** Server `timeout` > 0 closes idle pooled connections: the first command after a quiet period pays a reconnect. */
export const idleTimeoutReconnect: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const reachable = evidence.nodes.filter((node) => node.reachable)
  const withTimeout = reachable.filter((node) => timeoutOf(node) !== undefined)
  if (withTimeout.length === 0) return undefined

  const lines: string[] = []
  const byTimeout = new Map<number, string[]>()
  for (const node of withTimeout) {
    const t = timeoutOf(node)!
    byTimeout.set(t, [...(byTimeout.get(t) ?? []), node.address])
  }
  const timeouts = [...byTimeout.keys()].sort((a, b) => a - b)
  for (const t of timeouts) {
    const addresses = byTimeout.get(t)!
    lines.push(`timeout ${t} s on ${addresses.length}/${reachable.length} reachable nodes: ${addresses.join(', ')}`)
  }
  const minTimeout = timeouts[0]
  const maxTimeout = timeouts[timeouts.length - 1]

  // Idle ages of client connections on the nodes that close idle ones.
  let clientCount = 0
  let idleP90 = 0
  let idleP90Node = ''
  let idleMax = 0
  let idleMaxNode = ''
  let overHalf = 0
  let over80 = 0
  let withClients = 0
  for (const node of withTimeout) {
    const clients = node.clients
    if (!clients) continue
    withClients++
    clientCount += clients.count
    if (clients.count > 0 && clients.idle.p90 >= idleP90) {
      idleP90 = clients.idle.p90
      idleP90Node = node.address
    }
    if (clients.count > 0 && clients.idle.max >= idleMax) {
      idleMax = clients.idle.max
      idleMaxNode = node.address
    }
    overHalf += clients.idleOverHalfTimeout ?? 0
    over80 += clients.idleOver80PctTimeout ?? 0
  }
  if (withClients === 0) {
    lines.push('client idle ages unknown (CLIENT LIST not read)')
  } else if (clientCount === 0) {
    lines.push(`no client connections on the ${withClients} node(s) read (rcdiag's own excluded)`)
  } else {
    lines.push(
      `client connections: ${clientCount} on ${withClients} node(s); idle p90 up to ${round(idleP90)} s (${idleP90Node}), max ${round(idleMax)} s (${idleMaxNode})`,
    )
    lines.push(
      `${over80} connection(s) idle over ${T.nearTimeoutFraction * 100}% of the timeout and ${overHalf} over half of it: ` +
        (over80 > 0 ? 'they are about to be closed by the server' : 'none is about to be closed now; the risk comes after a quiet period longer than the timeout'),
    )
  }

  let confidence = T.baseConfidence
  if (over80 > 0) confidence += T.idleClientsConfidence

  const metrics: Record<string, number> = {
    timeoutSec: minTimeout,
    timeoutSecMax: maxTimeout,
    nodesWithTimeout: withTimeout.length,
    reachableNodes: reachable.length,
    clientConnections: clientCount,
    clientIdleP90Sec: idleP90,
    clientIdleMaxSec: idleMax,
    clientsIdleOverHalfTimeout: overHalf,
    clientsIdleOver80PctTimeout: over80,
  }

  const sample = evidence.sample
  if (sample) {
    const {newConnectionsPerSec, topologyCallsPerSec} = sample.cluster
    metrics.newConnectionsPerSec = newConnectionsPerSec
    metrics.topologyCallsPerSec = topologyCallsPerSec
    if (newConnectionsPerSec > 0 && topologyCallsPerSec > 0) {
      confidence += T.sampleConfidence
      lines.push(
        `sample (${round(sample.durationMs / 1000)} s): ${round(newConnectionsPerSec, 2)} new connections/s with ${round(topologyCallsPerSec, 2)} topology calls/s: reconnects followed by slot-map refreshes`,
      )
    }
  }

  const poolIdle = poolIdleBelowTimeout(minTimeout)
  metrics.recommendedPoolIdleSec = poolIdle
  const specific =
    poolIdle >= 1
      ? `Here: either \`CONFIG SET timeout 0\` on ${withTimeout.length} node(s), or evict/check pooled connections idle longer than ${poolIdle} s (server timeout ${minTimeout} s minus a margin).`
      : `Here: the server timeout (${minTimeout} s) is too short to stay under with pool eviction; use \`CONFIG SET timeout 0\` on ${withTimeout.length} node(s).`

  const timeoutText = minTimeout === maxTimeout ? `${minTimeout} s` : `${minTimeout}-${maxTimeout} s`
  return {
    id: 'idle-timeout-reconnect',
    severity: 'warning',
    confidence: Math.min(T.maxConfidence, round(confidence, 2)),
    title: `Server timeout ${timeoutText} closes pooled connections idle longer than that; the next command pays a reconnect`,
    evidence: lines,
    remedy: remedyFor('idle-timeout-reconnect', specific),
    nodes: withTimeout.map((node) => node.address),
    metrics,
  }
}
