import type {ProbeEvidence} from '../../evidence/types.js'
import {severityRank} from '../severity.js'
import type {Finding, Rule, Severity} from '../types.js'
import {remedyFor} from '../format.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS

interface Signal {
  severity: Severity
  confidence: number
  title: string
  lines: string[]
  nodes: string[]
}

/** "42 s", "3.5 min", "2.1 h", "4.0 d" */
function duration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`
  return `${(seconds / 86_400).toFixed(1)} d`
}

/**
 * Failovers and replication trouble: role flips or epoch bumps during a sample, replicas whose master
 * link is down, masters promoted since they started, nodes disagreeing on the current epoch.
 * The most severe signal names the finding; every signal adds its evidence.
 */
export const recentFailover: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const reachable = evidence.nodes.filter((n) => n.reachable)
  const signals: Signal[] = []
  const metrics: Record<string, number> = {}

  // 1. A failover while we watched: roles or epochs changed. A node that only stopped (or started)
  // answering, with no role change, stalled or died: node-blocked and cluster-state-fail say so.
  const changes = (evidence.sample?.changes ?? []).filter((c) => c.kind !== 'reachability')
  if (changes.length > 0) {
    const addresses = [...new Set(changes.map((c) => c.address))]
    // Name the promotion when there is one: that is the new master clients must find.
    const lead = changes.find((c) => /-> master$/.test(c.what)) ?? changes[0]
    metrics.changesDuringSample = changes.length
    signals.push({
      severity: 'warning',
      confidence: T.changeConfidence,
      title:
        `Failover during the sample: ${lead.address} ${lead.what}` + (changes.length > 1 ? ` (+${changes.length - 1} more change(s))` : ''),
      lines: [
        `${changes.length} change(s) between the two snapshots of the ${((evidence.sample?.durationMs ?? 0) / 1000).toFixed(1)} s sample:`,
        ...changes.map((c) => `${c.address}: ${c.what}`),
      ],
      nodes: addresses,
    })
  }

  // 2. Replicas whose link to their master is down.
  const linkDown = reachable.filter((n) => n.role === 'replica' && n.stats.masterLinkUp === 0)
  if (linkDown.length > 0) {
    const since = (s: number | undefined) =>
      s === undefined ? 'for an unknown time' : s < 0 ? 'since it started (never synced)' : `for ${duration(s)}`
    const longest = [...linkDown].sort((a, b) => (b.stats.masterLinkDownSinceSeconds ?? 0) - (a.stats.masterLinkDownSinceSeconds ?? 0))[0]
    metrics.replicasLinkDown = linkDown.length
    metrics.maxLinkDownSeconds = Math.max(0, ...linkDown.map((n) => n.stats.masterLinkDownSinceSeconds ?? 0))
    signals.push({
      severity: 'warning',
      confidence: T.linkDownConfidence,
      title: `Replication link down on ${linkDown.length} replica(s): ${longest.address} ${since(longest.stats.masterLinkDownSinceSeconds)}`,
      lines: linkDown.map((n) => `${n.address} (replica): master_link_status down ${since(n.stats.masterLinkDownSinceSeconds)}`),
      nodes: linkDown.map((n) => n.address),
    })
  }

  // 3. Masters promoted from replica since they started.
  const promoted = reachable.filter((n) => n.role === 'master' && n.stats.promotedSinceStart === 1)
  if (promoted.length > 0) {
    const recent = promoted.filter((n) => n.stats.uptimeSeconds !== undefined && n.stats.uptimeSeconds < T.recentUptimeSec)
    const uptime = (s: number | undefined) => (s === undefined ? 'uptime unknown' : `up ${duration(s)}`)
    const lines = promoted.map(
      (n) =>
        `${n.address} (master): promoted from replica since it started (master_replid2 set), ${uptime(n.stats.uptimeSeconds)}` +
        (n.stats.connectedReplicas !== undefined ? `, ${n.stats.connectedReplicas} replica(s) connected` : ''),
    )
    metrics.mastersPromoted = promoted.length
    metrics.mastersPromotedRecently = recent.length
    if (recent.length > 0) {
      const newest = [...recent].sort((a, b) => (a.stats.uptimeSeconds ?? 0) - (b.stats.uptimeSeconds ?? 0))[0]
      lines.push(
        `up less than ${duration(T.recentUptimeSec)}: the promotion (or a restart from a persisted dataset) happened within that time`,
      )
      signals.push({
        severity: 'warning',
        confidence: T.promotedConfidence,
        title: `${newest.address} became master recently (promoted from replica, ${uptime(newest.stats.uptimeSeconds)})`,
        lines,
        nodes: promoted.map((n) => n.address),
      })
    } else {
      lines.push(`up more than ${duration(T.recentUptimeSec)}: the promotion may be old (INFO does not say when it happened)`)
      signals.push({
        severity: 'info',
        confidence: T.oldPromotionConfidence,
        title:
          `${promoted[0].address}` +
          (promoted.length > 1 ? ` and ${promoted.length - 1} other master(s)` : '') +
          ' were promoted from replica at some point since they started',
        lines,
        nodes: promoted.map((n) => n.address),
      })
    }
  }

  // 4. Nodes disagreeing on the current epoch: gossip still converging after a bump.
  const withEpoch = reachable.filter((n) => typeof n.currentEpoch === 'number')
  const epochs = [...new Set(withEpoch.map((n) => n.currentEpoch as number))].sort((a, b) => a - b)
  if (epochs.length > 1) {
    const max = epochs[epochs.length - 1]
    const behind = withEpoch.filter((n) => n.currentEpoch !== max)
    metrics.currentEpochMin = epochs[0]
    metrics.currentEpochMax = max
    metrics.nodesBehindEpoch = behind.length
    signals.push({
      severity: 'info',
      confidence: T.epochConfidence,
      title: `Nodes disagree on the current epoch (${epochs.join(' vs ')}): a failover or epoch bump is still propagating`,
      lines: [
        `cluster_current_epoch ${epochs
          .map(
            (e) =>
              `${e} on ${withEpoch
                .filter((n) => n.currentEpoch === e)
                .map((n) => n.address)
                .join(', ')}`,
          )
          .join('; ')}`,
        `${behind.length} node(s) behind epoch ${max}; gossip converges within seconds in a healthy cluster, a lasting difference points to nodes that cannot reach each other`,
      ],
      nodes: behind.map((n) => n.address),
    })
  }

  if (signals.length === 0) return undefined
  const ordered = [...signals].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || b.confidence - a.confidence)
  const top = ordered[0]
  return {
    id: 'recent-failover',
    severity: top.severity,
    confidence: top.confidence,
    title: top.title,
    evidence: ordered.flatMap((s) => s.lines),
    remedy: remedyFor(
      ENTRY,
      linkDown.length > 0
        ? 'Here: a replica with its link down resyncs (often a full sync that forks its master): read its log for the reason.'
        : undefined,
    ),
    nodes: [...new Set(ordered.flatMap((s) => s.nodes))],
    metrics,
  }
}
