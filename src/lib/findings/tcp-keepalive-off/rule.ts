import type {ProbeEvidence} from '../../evidence/types.js'
import type {Finding, Rule} from '../types.js'
import {remedyFor} from '../format.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS

/**
 * `tcp-keepalive 0`: dead peers and idle flows dropped by middleboxes go unnoticed.
 * Warning when such a node never closes idle connections itself (timeout 0 or unreadable);
 * info when every such node has timeout > 0, which reaps them anyway.
 */
export const tcpKeepaliveOff: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const reachable = evidence.nodes.filter((node) => node.reachable)
  const off = reachable.filter((node) => node.config['tcp-keepalive'] === 0)
  if (off.length === 0) return undefined

  const unreaped = off.filter((node) => !(typeof node.config.timeout === 'number' && node.config.timeout > 0))
  const reaped = off.filter((node) => !unreaped.includes(node))
  const warning = unreaped.length > 0

  const lines = [`tcp-keepalive 0 on ${off.length}/${reachable.length} reachable nodes: ${off.map((n) => n.address).join(', ')}`]
  if (unreaped.length > 0) {
    lines.push(
      `${unreaped.length} of them also have timeout 0 or unreadable: nothing closes dead or half-open connections there (${unreaped.map((n) => n.address).join(', ')})`,
    )
  }
  if (reaped.length > 0) {
    const timeouts = [...new Set(reaped.map((n) => n.config.timeout as number))].sort((a, b) => a - b)
    lines.push(
      `${reaped.length} of them have timeout ${timeouts.join('/')} s, which closes idle connections anyway (see idle-timeout-reconnect)`,
    )
  }
  const connected = off.reduce((sum, node) => sum + (node.stats.connectedClients ?? 0), 0)
  if (connected > 0) lines.push(`${connected} connected clients on those nodes`)

  return {
    id: 'tcp-keepalive-off',
    severity: warning ? 'warning' : 'info',
    confidence: warning ? T.warningConfidence : T.infoConfidence,
    title: `tcp-keepalive is 0 on ${off.length} node(s): dead peers and dropped idle flows go unnoticed`,
    evidence: lines,
    remedy: remedyFor(ENTRY, `Here: \`CONFIG SET tcp-keepalive ${T.recommendedMinSec}\` on ${off.map((n) => n.address).join(', ')}.`),
    nodes: off.map((node) => node.address),
    metrics: {
      nodesKeepaliveOff: off.length,
      nodesKeepaliveOffNoTimeout: unreaped.length,
      reachableNodes: reachable.length,
      connectedClients: connected,
    },
  }
}
