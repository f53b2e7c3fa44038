import type {ProbeEvidence} from '../../evidence/types.js'
import type {ReplayRunEvidence} from '../../replay/evidence.js'
import {severityRank} from '../severity.js'
import type {Finding, Rule, Severity} from '../types.js'
import {ms, remedyFor, round} from '../format.js'
import {describeClientModel} from '../client-models.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS

/** What one source of evidence (a --sample, a replay) says about refresh storms. */
interface Part {
  severity: Severity
  confidence: number
  title: string
  lines: string[]
  specific?: string
  nodes: string[]
  metrics: Record<string, number>
}

/** From a --sample: topology calls/s that look reactive (follow reconnects or MOVED, or too many for periodic refresh). */
function fromSample(evidence: ProbeEvidence): Part | undefined {
  const sample = evidence.sample
  if (!sample) return undefined
  const {topologyCallsPerSec: rate, newConnectionsPerSec: newConns, movedPerSec: moved, configGetPerSec: configGets} = sample.cluster
  if (!(rate >= T.minPerSec)) return undefined

  const perNewConnection = newConns > 0 ? rate / newConns : undefined
  const followsReconnects = perNewConnection !== undefined && perNewConnection >= T.perNewConnection
  // null: the servers cannot count MOVED replies (no errorstats before Redis 6.2); not taken for 0
  const followsMoved = moved !== null && moved > 0
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
  if (configGets > 0)
    lines.push(`${round(configGets, 2)} CONFIG GET/s alongside (redis-py-cluster reads cluster-require-full-coverage on every refresh)`)
  lines.push(
    moved === null
      ? 'MOVED/s unknown: these servers do not count error replies (INFO errorstats, Redis 6.2+)'
      : `${round(moved, 2)} MOVED/s` + (followsMoved ? ': redirects trigger refreshes' : ''),
  )

  const busiest = [...sample.nodes]
    .filter((n) => n.rates.topologyCallsPerSec > 0)
    .sort((a, b) => b.rates.topologyCallsPerSec - a.rates.topologyCallsPerSec)
  const top = busiest[0]
  if (top) {
    const share = rate > 0 ? Math.round((100 * top.rates.topologyCallsPerSec) / rate) : 0
    lines.push(`most on ${top.address}: ${round(top.rates.topologyCallsPerSec, 2)}/s (${share}% of the calls)`)
  }
  const costs = evidence.nodes.filter((n) => n.reachable && typeof n.topologyCallMs === 'number').map((n) => n.topologyCallMs as number)
  const maxCost = costs.length > 0 ? Math.max(...costs) : undefined
  if (maxCost !== undefined) {
    lines.push(
      `one CLUSTER SLOTS takes up to ${round(maxCost, 2)} ms to serve here: ~${round(maxCost * rate)} ms of server time per second at this rate`,
    )
  }

  let confidence: number = T.baseConfidence
  if (followsReconnects) confidence += T.reconnectsConfidence
  if (followsMoved) confidence += T.movedConfidence
  if (critical) confidence += T.criticalConfidence

  const metrics: Record<string, number> = {
    topologyCallsPerSec: rate,
    configGetPerSec: configGets,
    newConnectionsPerSec: newConns,
    sampleSeconds: seconds,
  }
  if (moved !== null) metrics.movedPerSec = moved
  if (perNewConnection !== undefined) metrics.topologyCallsPerNewConnection = round(perNewConnection, 3)
  if (top) metrics.maxNodeTopologyCallsPerSec = top.rates.topologyCallsPerSec
  if (maxCost !== undefined) metrics.topologyCallMs = maxCost

  return {
    severity: critical ? 'critical' : 'warning',
    confidence: round(confidence, 2),
    title:
      `Slot-map refresh storm: ${round(rate, 1)} topology calls/s` +
      (followsReconnects ? ` with ${round(newConns, 1)} new connections/s` : ''),
    lines,
    specific: followsReconnects
      ? 'Here the refreshes follow new connections: find why clients reconnect (server timeout, churn) and stop refreshing on reconnect.'
      : undefined,
    nodes: busiest.map((n) => n.address),
    metrics,
  }
}

/** Most refreshes running at once after a gap (the run's stampede factor; the phase maximum if larger). */
const stampedeOf = (run: ReplayRunEvidence) => Math.max(run.stampedeFactor, run.postIdle.maxConcurrentRefreshes)

/** From `rcdiag replay`: a client model that re-reads the slot map more than once per idle gap. */
function fromReplay(evidence: ProbeEvidence): Part | undefined {
  const replay = evidence.replay
  if (!replay || replay.runs.length === 0) return undefined
  const isStorm = (run: ReplayRunEvidence) => run.refreshesPerGap > T.replayRefreshesPerGap
  const storms = replay.runs.filter(isStorm)
  if (storms.length === 0) return undefined

  const everyCaller = replay.concurrency * T.replayCriticalConcurrencyFraction
  const isCritical = (run: ReplayRunEvidence) =>
    stampedeOf(run) >= T.replayCriticalStampede || (replay.concurrency > 0 && run.refreshesPerGap >= everyCaller)
  const critical = storms.some(isCritical)
  // The worst storm: most refreshes per gap, then the biggest stampede.
  const worst = [...storms].sort((a, b) => b.refreshesPerGap - a.refreshesPerGap || stampedeOf(b) - stampedeOf(a))[0]

  const lines: string[] = [
    `replay: ${replay.cycles} cycle(s) of burst / ${round(replay.idleMs / 1000)} s idle / burst with ${replay.concurrency} workers; ` +
      `a client that only reconnects needs at most ${T.replayRefreshesPerGap} slot-map refresh per gap`,
  ]
  for (const run of replay.runs) {
    const p = run.postIdle
    if (isStorm(run)) {
      lines.push(
        `replay, ${run.client}: ${round(run.refreshesPerGap, 2)} slot-map refreshes per gap, up to ${stampedeOf(run)} at once (stampede factor ${stampedeOf(run)}` +
          (run.refreshesPerGap >= everyCaller ? `; about every caller refreshes on its own` : '') +
          `); post-idle p99 ${ms(p.p99Ms)} ms vs steady ${ms(run.steady.p99Ms)} ms`,
      )
      lines.push(
        `server side after the gaps (${run.client}): ${p.serverTopologyCalls} topology calls (CLUSTER SLOTS/SHARDS/NODES), ${p.serverConfigGetCalls} CONFIG GET` +
          (p.serverConfigGetCalls > 0 ? ' (redis-py-cluster reads cluster-require-full-coverage on every refresh)' : '') +
          `, ${p.serverNewConnections} new connections, ${p.serverMoved ?? 'an unknown number of'} MOVED`,
      )
    } else {
      lines.push(
        `replay, ${run.client}: ${round(run.refreshesPerGap, 2)} slot-map refreshes per gap, at most ${stampedeOf(run)} at once: no storm ` +
          `(post-idle p99 ${ms(p.p99Ms)} ms, ${p.serverTopologyCalls} server-side topology calls after the gaps)`,
      )
    }
  }

  let confidence: number = T.replayConfidence
  if (storms.some((run) => run.postIdle.serverTopologyCalls > 0)) confidence += T.replayServerCallsConfidence
  if (critical) confidence += T.replayCriticalConfidence

  // The measured difference between models, when several ran.
  const calm = replay.runs
    .filter((run) => !isStorm(run))
    .sort((a, b) => a.refreshesPerGap - b.refreshesPerGap || a.postIdle.p99Ms - b.postIdle.p99Ms)[0]
  const stormText = `${worst.client} made ${round(worst.refreshesPerGap, 2)} refreshes per gap, up to ${stampedeOf(worst)} at once, post-idle p99 ${ms(worst.postIdle.p99Ms)} ms`
  let specific: string
  if (calm) {
    specific =
      `Measured: ${describeClientModel(calm.client)} made ${round(calm.refreshesPerGap, 2)} refreshes per gap, at most ${stampedeOf(calm)} at once, ` +
      `post-idle p99 ${ms(calm.postIdle.p99Ms)} ms, where ${stormText}: single-flight the refresh and reconnect-and-retry on the same node.`
  } else if (replay.runs.length > 1) {
    specific = `Measured: every replayed client behaviour stormed (worst: ${stormText}): single-flight the refresh and reconnect-and-retry on the same node.`
  } else {
    specific = `Here: ${stormText}: single-flight the refresh and reconnect-and-retry on the same node.`
  }

  const metrics: Record<string, number> = {
    replayStormRuns: storms.length,
    replayRefreshesPerGap: worst.refreshesPerGap,
    replayStampedeFactor: stampedeOf(worst),
    replayConcurrency: replay.concurrency,
    replayServerTopologyCalls: worst.postIdle.serverTopologyCalls,
    replayServerConfigGetCalls: worst.postIdle.serverConfigGetCalls,
    replayPostIdleP99Ms: worst.postIdle.p99Ms,
  }
  if (calm) {
    metrics.replayBestRefreshesPerGap = calm.refreshesPerGap
    metrics.replayBestPostIdleP99Ms = calm.postIdle.p99Ms
  }

  return {
    severity: critical ? 'critical' : 'warning',
    confidence: round(confidence, 2),
    title:
      `Slot-map refresh ${stampedeOf(worst) > 1 ? 'stampede' : 'storm'} after idle gaps: ${round(worst.refreshesPerGap, 1)} refreshes per gap, ` +
      `up to ${stampedeOf(worst)} at once (${worst.client})`,
    lines,
    specific,
    nodes: [],
    metrics,
  }
}

/** Clients re-read the slot map (CLUSTER SLOTS/SHARDS/NODES) at a high, reactive rate: from a --sample, a replay, or both. */
export const topologyRefreshStorm: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const sampled = fromSample(evidence)
  const replayed = fromReplay(evidence)
  const parts = [replayed, sampled].filter((p): p is Part => p !== undefined)
  if (parts.length === 0) return undefined

  const severity = parts.reduce<Severity>((s, p) => (severityRank(p.severity) > severityRank(s) ? p.severity : s), 'warning')
  // Two independent sources agreeing add a little; the replay's measured title leads.
  const confidence = Math.max(...parts.map((p) => p.confidence)) + (parts.length > 1 ? T.bothSourcesConfidence : 0)
  const nodes = [...new Set(parts.flatMap((p) => p.nodes))]
  return {
    id: 'topology-refresh-storm',
    severity,
    confidence: Math.min(T.maxConfidence, round(confidence, 2)),
    title: parts[0].title,
    evidence: parts.flatMap((p) => p.lines),
    remedy: remedyFor(ENTRY, ...parts.map((p) => p.specific)),
    nodes,
    metrics: Object.assign({}, ...parts.map((p) => p.metrics)) as Record<string, number>,
  }
}
