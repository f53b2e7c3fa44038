import type {NodeEvidence, ProbeEvidence} from '../../evidence/types.js'
import type {ReplayEvidence, ReplayRunEvidence} from '../../replay/evidence.js'
import type {Finding, Rule} from '../types.js'
import {describeClientGroup, mergeClientGroups, ms, remedyFor, round} from '../format.js'
import {describeClientModel} from '../client-models.js'
import {idleGapAboveTimeout, poolIdleBelowTimeout} from './timeout-margin.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS
const plural = (n: number, word: string) => `${round(n, 2)} ${word}${n === 1 ? '' : 's'}`

function timeoutOf(node: NodeEvidence): number | undefined {
  const value = node.config.timeout
  return typeof value === 'number' && value > 0 ? value : undefined
}

const IDLE_FAILURE_TEXT: Record<ReplayRunEvidence['idleFailure'], string> = {
  'closed-by-server': 'closed by the server (the next command failed fast, then reconnected)',
  'hung-until-timeout':
    'hung until the client timeout (the idle connection was silently dropped on the way: NAT, firewall or load balancer)',
  none: 'none seen',
}

/** One replay run, judged against the cause. */
interface RunView {
  run: ReplayRunEvidence
  /** post-idle p99 >= ratio x steady p99 and >= min ms above it */
  spike: boolean
  /** the server closed the workload's connections during the gaps, or the run saw connection errors/reconnects after them */
  lostConnections: boolean
  confirmed: boolean
}

function viewRun(run: ReplayRunEvidence): RunView {
  const post = run.postIdle.p99Ms
  const steady = run.steady.p99Ms
  // no steady phase (or no post-idle one) measured: nothing to compare, no spike
  const measured = run.postIdle.ops > 0 && run.steady.ops > 0
  const spike = measured && post >= T.replaySpikeRatio * steady && post - steady >= T.replaySpikeMinMs
  const lostConnections = run.postIdle.closedByServerDuringGaps > 0 || run.postIdle.connectionErrors > 0 || run.postIdle.reconnects > 0
  return {run, spike, lostConnections, confirmed: spike && lostConnections}
}

function runLine(view: RunView): string {
  const {run} = view
  const p = run.postIdle
  const ratio = run.steady.p99Ms > 0 ? ` (${round(p.p99Ms / run.steady.p99Ms)}x)` : ''
  const verdict = view.confirmed
    ? ' -> confirms it'
    : view.spike
      ? ' -> a post-idle spike, but no connection was lost: not this cause'
      : view.lostConnections
        ? ' -> connections were lost but this behaviour absorbed it'
        : ''
  return (
    `replay, ${run.client}: post-idle p99 ${ms(p.p99Ms)} ms vs steady p99 ${ms(run.steady.p99Ms)} ms${ratio}, first op after a gap p99 ${ms(p.firstOpP99Ms)} ms; ` +
    `${p.closedByServerDuringGaps} connection(s) closed by the server during the gaps; ` +
    `${plural(p.connectionErrors, 'connection error')} and ${plural(p.reconnects, 'reconnect')} after them; ` +
    `idle failure: ${IDLE_FAILURE_TEXT[run.idleFailure]}${verdict}`
  )
}

/** The replay's gap compared with the server timeout(s): did the replay exercise it? */
function gapLine(replay: ReplayEvidence, timeouts: number[], timeoutZero: boolean): {line: string; exercisedAll: boolean} {
  const idleSec = round(replay.idleMs / 1000)
  const head = `replay: ${replay.cycles} cycle(s) of burst / ${idleSec} s idle / burst, ${replay.concurrency} workers, models: ${replay.runs.map((r) => r.client).join(', ')}; `
  if (timeouts.length === 0) {
    return {
      line:
        head +
        (timeoutZero
          ? 'server timeout 0: the server never closes idle connections, so connections lost in the gaps were ended by something else (a proxy or load balancer idle timeout, a NAT or firewall dropping idle flows)'
          : `server timeout unknown (CONFIG GET refused): judged on the replay alone`),
      exercisedAll: false,
    }
  }
  const min = timeouts[0]
  const max = timeouts[timeouts.length - 1]
  const timeoutText = min === max ? `${min} s` : `${min}-${max} s`
  if (idleSec > max)
    return {line: head + `the ${idleSec} s gap is longer than the server timeout ${timeoutText}: the gaps exercised it`, exercisedAll: true}
  const rerun = `rerun with --idle ${idleGapAboveTimeout(max)}s (above the timeout)`
  if (idleSec <= min) {
    return {
      line:
        head + `the ${idleSec} s gap is not longer than the server timeout ${timeoutText}: the gaps did not exercise the timeout; ${rerun}`,
      exercisedAll: false,
    }
  }
  return {
    line:
      head +
      `the ${idleSec} s gap outlasts the timeout only on nodes with timeout < ${idleSec} s (timeouts ${timeoutText}): the gaps exercised it partly; ${rerun}`,
    exercisedAll: false,
  }
}

/** "single-flight (...) kept post-idle p99 at 2.5 ms vs 60 ms for refresh-on-error", or the fact that no model avoided it. */
function modelComparison(views: RunView[]): string | undefined {
  if (views.length < 2) return undefined
  const confirmed = views.filter((v) => v.confirmed)
  if (confirmed.length === 0) return undefined
  const worst = [...confirmed].sort((a, b) => b.run.postIdle.p99Ms - a.run.postIdle.p99Ms)[0]
  const unaffected = views.filter((v) => !v.confirmed)
  if (unaffected.length === 0) {
    const byP99 = [...views].sort((a, b) => a.run.postIdle.p99Ms - b.run.postIdle.p99Ms)
    const low = byP99[0].run
    return (
      `Measured: every replayed client behaviour paid it (post-idle p99 from ${ms(low.postIdle.p99Ms)} ms for ${low.client} to ${ms(worst.run.postIdle.p99Ms)} ms for ${worst.run.client}): ` +
      'a client-side recovery policy alone does not remove it; keep connections from idling past the timeout.'
    )
  }
  const best = [...unaffected].sort((a, b) => a.run.postIdle.p99Ms - b.run.postIdle.p99Ms)[0]
  if (!(best.run.postIdle.p99Ms < worst.run.postIdle.p99Ms)) return undefined
  return (
    `Measured: ${describeClientModel(best.run.client)} kept post-idle p99 at ${ms(best.run.postIdle.p99Ms)} ms ` +
    `vs ${ms(worst.run.postIdle.p99Ms)} ms for ${worst.run.client}.`
  )
}

/**
 * Server `timeout` > 0 closes idle pooled connections: the first command after a quiet period pays a reconnect.
 *
 * From a probe: fires on any reachable node with timeout > 0 (confidence from idle ages and a sample).
 * From a replay: a run confirms the cause when its post-idle p99 spikes over its steady p99 and it lost
 * connections during the gaps; a confirming run raises confidence and makes the rule fire even when the
 * timeout is unreadable or 0 (then the idle limit sits on the path, not in the server).
 */
export const idleTimeoutReconnect: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const reachable = evidence.nodes.filter((node) => node.reachable)
  const withTimeout = reachable.filter((node) => timeoutOf(node) !== undefined)
  const timeoutZero = withTimeout.length === 0 && reachable.some((node) => node.config.timeout === 0)
  const replay = evidence.replay && evidence.replay.runs.length > 0 ? evidence.replay : undefined
  const views = replay ? replay.runs.map(viewRun) : []
  const confirmed = views.filter((v) => v.confirmed)
  if (withTimeout.length === 0 && confirmed.length === 0) return undefined

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
  const minTimeout = timeouts[0] as number | undefined
  const maxTimeout = timeouts[timeouts.length - 1] as number | undefined

  let confidence: number = T.baseConfidence
  const metrics: Record<string, number> = {}

  if (minTimeout !== undefined && maxTimeout !== undefined) {
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
          (over80 > 0
            ? 'they are about to be closed by the server'
            : 'none is about to be closed now; the risk comes after a quiet period longer than the timeout'),
      )
      const nearTimeout = mergeClientGroups(
        withTimeout.map((node) => ({
          groups: (node.clients?.topGroups ?? []).filter((g) => g.idleMax >= (node.config.timeout as number) * T.nearTimeoutFraction),
        })),
        'count',
      )
      if (nearTimeout.length > 0) {
        lines.push(
          `the connections idle near the timeout belong to ${nearTimeout
            .slice(0, 3)
            .map((g) => `${describeClientGroup(g)}: ${g.count} connection(s), idle up to ${g.idleMax} s`)
            .join('; ')}`,
        )
      }
    }
    if (over80 > 0) confidence += T.idleClientsConfidence
    Object.assign(metrics, {
      timeoutSec: minTimeout,
      timeoutSecMax: maxTimeout,
      nodesWithTimeout: withTimeout.length,
      reachableNodes: reachable.length,
      clientConnections: clientCount,
      clientIdleP90Sec: idleP90,
      clientIdleMaxSec: idleMax,
      clientsIdleOverHalfTimeout: overHalf,
      clientsIdleOver80PctTimeout: over80,
    })
  } else {
    lines.push(
      timeoutZero
        ? `timeout 0 on the reachable nodes that answered CONFIG GET: the server does not close idle connections itself`
        : `server timeout unknown: CONFIG GET timeout was refused or unreadable on all ${reachable.length} reachable node(s)`,
    )
    metrics.reachableNodes = reachable.length
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
  confidence = Math.min(T.maxConfidence, confidence)

  // The replay: measured post-idle latency per client model.
  let comparison: string | undefined
  const worst = [...(confirmed.length > 0 ? confirmed : views.filter((v) => v.spike))].sort(
    (a, b) => b.run.postIdle.p99Ms - a.run.postIdle.p99Ms,
  )[0]
  if (replay) {
    const gap = gapLine(replay, timeouts, timeoutZero)
    lines.push(gap.line)
    for (const view of views) lines.push(runLine(view))
    if (confirmed.length > 0) {
      confidence = Math.max(confidence, T.replayConfirmedConfidence)
      if (minTimeout !== undefined && replay.idleMs / 1000 <= minTimeout) {
        lines.push(
          'connections were lost although the gaps were shorter than the server timeout: something on the path (proxy, load balancer, NAT, firewall) ends idle connections sooner',
        )
      }
    } else if (gap.exercisedAll && !views.some((v) => v.spike)) {
      confidence = Math.min(confidence, T.replayNotReproducedConfidence)
      lines.push(
        `no model's post-idle p99 reached ${T.replaySpikeRatio}x its steady p99 although the gaps outlasted the timeout: ` +
          'the replayed client behaviours absorb the closed connections; a client that reacts like redis-py-cluster 2.x may still not',
      )
    }
    comparison = modelComparison(views)
    metrics.replayIdleSec = round(replay.idleMs / 1000)
    metrics.replayRuns = views.length
    metrics.replayConfirmedRuns = confirmed.length
    metrics.replayClosedByServer = views.reduce((sum, v) => sum + v.run.postIdle.closedByServerDuringGaps, 0)
    if (worst) {
      metrics.replayPostIdleP99Ms = worst.run.postIdle.p99Ms
      metrics.replaySteadyP99Ms = worst.run.steady.p99Ms
    }
    const best = [...views].sort((a, b) => a.run.postIdle.p99Ms - b.run.postIdle.p99Ms)[0]
    metrics.replayBestPostIdleP99Ms = best.run.postIdle.p99Ms
  }

  let specific: string
  let title: string
  const replayed =
    worst && confirmed.length > 0
      ? `; replay confirmed: post-idle p99 ${ms(worst.run.postIdle.p99Ms)} ms vs ${ms(worst.run.steady.p99Ms)} ms steady (${worst.run.client})`
      : ''
  if (minTimeout !== undefined && maxTimeout !== undefined) {
    const poolIdle = poolIdleBelowTimeout(minTimeout)
    metrics.recommendedPoolIdleSec = poolIdle
    specific =
      poolIdle >= 1
        ? `Here: either \`CONFIG SET timeout 0\` on ${withTimeout.length} node(s), or evict/check pooled connections idle longer than ${poolIdle} s (server timeout ${minTimeout} s minus a margin).`
        : `Here: the server timeout (${minTimeout} s) is too short to stay under with pool eviction; use \`CONFIG SET timeout 0\` on ${withTimeout.length} node(s).`
    const timeoutText = minTimeout === maxTimeout ? `${minTimeout} s` : `${minTimeout}-${maxTimeout} s`
    title =
      `Server timeout ${timeoutText} closes pooled connections idle longer than that; ` +
      (replayed ? replayed.slice(2) : 'the next command pays a reconnect')
  } else {
    const idleSec = round((replay?.idleMs ?? 0) / 1000)
    specific = timeoutZero
      ? `Here: the server timeout is 0, so the idle limit is on the path: enable keepalive on the client sockets and set \`tcp-keepalive\` below the idle timeout of any proxy, load balancer, NAT or firewall between client and server, ` +
        `or evict pooled connections idle for less than that limit (the replay lost connections after ${idleSec} s idle).`
      : `Here: the server timeout could not be read (CONFIG GET refused): read it from the provider's parameter group or console; ` +
        `meanwhile evict/check pooled connections idle for well under ${idleSec} s, the gap after which the replay lost them.`
    title =
      (timeoutZero
        ? 'Idle connections are lost during quiet periods although the server timeout is 0'
        : 'Idle connections are lost during quiet periods (server timeout unreadable)') + replayed
  }

  return {
    id: 'idle-timeout-reconnect',
    severity: 'warning',
    confidence: round(confidence, 2),
    title,
    evidence: lines,
    remedy: remedyFor(ENTRY, comparison, specific),
    ...(withTimeout.length > 0 ? {nodes: withTimeout.map((node) => node.address)} : {}),
    metrics,
  }
}
