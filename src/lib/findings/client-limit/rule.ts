import type {ProbeEvidence} from '../../evidence/types.js'
import type {Finding, Rule, Severity} from '../types.js'
import {remedyFor, round} from '../format.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS
const pct = (fraction: number) => `${round(fraction * 100)}%`

/**
 * maxclients: connections refused (since start: warning; while sampling: critical) or connected
 * clients close to the limit (warning from `nearMaxclientsFraction`, critical from `criticalMaxclientsFraction`).
 */
export const clientLimit: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const reachable = evidence.nodes.filter((n) => n.reachable)
  const sampleRate = (address: string) => evidence.sample?.nodes.find((s) => s.address === address)?.rates.rejectedConnectionsPerSec ?? 0

  const rows = reachable.map((node) => {
    const maxclients = typeof node.config.maxclients === 'number' && node.config.maxclients > 0 ? node.config.maxclients : undefined
    const connected = node.stats.connectedClients
    const fraction = maxclients !== undefined && connected !== undefined ? connected / maxclients : undefined
    return {node, maxclients, connected, fraction, rejected: node.stats.rejectedConnections ?? 0, rate: sampleRate(node.address)}
  })
  const severityOf = (r: (typeof rows)[number]): Severity | undefined => {
    if (r.rate > 0 || (r.fraction !== undefined && r.fraction >= T.criticalMaxclientsFraction)) return 'critical'
    if (r.rejected > 0 || (r.fraction !== undefined && r.fraction >= T.nearMaxclientsFraction)) return 'warning'
    return undefined
  }
  const flagged = rows
    .map((r) => ({...r, severity: severityOf(r)}))
    .filter((r): r is typeof r & {severity: Severity} => r.severity !== undefined)
    .sort(
      (a, b) =>
        Number(b.severity === 'critical') - Number(a.severity === 'critical') ||
        b.rate - a.rate ||
        (b.fraction ?? 0) - (a.fraction ?? 0) ||
        b.rejected - a.rejected,
    )
  if (flagged.length === 0) return undefined

  const critical = flagged.some((r) => r.severity === 'critical')
  const lines = flagged.map((r) => {
    const parts: string[] = []
    parts.push(
      r.maxclients !== undefined && r.connected !== undefined
        ? `${r.connected}/${r.maxclients} clients connected (${pct(r.fraction!)} of maxclients)`
        : `${r.connected ?? '?'} clients connected, maxclients ${r.maxclients ?? 'unknown'}`,
    )
    if (r.rejected > 0) parts.push(`${r.rejected} connection(s) rejected since start`)
    if (r.rate > 0) parts.push(`${round(r.rate, 2)} rejected/s during the sample`)
    return `${r.node.address} (${r.node.role}): ${parts.join(', ')}`
  })
  const totalRejected = flagged.reduce((sum, r) => sum + r.rejected, 0)
  const totalRate = round(
    flagged.reduce((sum, r) => sum + r.rate, 0),
    2,
  )
  const top = flagged[0]

  const title =
    top.rate > 0
      ? `Connections are being rejected: ${round(top.rate, 2)}/s on ${top.node.address} (maxclients ${top.maxclients ?? 'unknown'})`
      : top.fraction !== undefined && top.fraction >= T.nearMaxclientsFraction
        ? `${top.node.address} is at ${pct(top.fraction)} of maxclients (${top.connected}/${top.maxclients})` +
          (top.rejected > 0 ? `, ${top.rejected} connection(s) rejected since start` : '')
        : `${top.node.address} rejected ${top.rejected} connection(s) since start (maxclients ${top.maxclients ?? 'unknown'})`

  const metrics: Record<string, number> = {
    nodesFlagged: flagged.length,
    rejectedConnections: totalRejected,
    rejectedConnectionsPerSec: totalRate,
  }
  if (top.fraction !== undefined) metrics.maxClientsFraction = round(top.fraction, 3)
  if (top.connected !== undefined) metrics.connectedClients = top.connected
  if (top.maxclients !== undefined) metrics.maxclients = top.maxclients

  return {
    id: 'client-limit',
    severity: critical ? 'critical' : 'warning',
    confidence: critical ? T.criticalConfidence : T.warningConfidence,
    title,
    evidence: lines,
    remedy: remedyFor(ENTRY, `Here: ${flagged.map((r) => r.node.address).join(', ')}.`),
    nodes: flagged.map((r) => r.node.address),
    metrics,
  }
}
