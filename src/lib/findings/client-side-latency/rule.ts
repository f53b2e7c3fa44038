import type {ProbeEvidence} from '../../evidence/types.js'
import type {ReplayRunEvidence} from '../../replay/evidence.js'
import type {Finding, Rule} from '../types.js'
import {ms, remedyFor, round} from '../format.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS

type Phase = 'steady' | 'post-idle'

interface Excess {
  phase: Phase
  clientP99Ms: number
}

interface Judged {
  run: ReplayRunEvidence
  serverMs: number
  serverKind: 'p99' | 'mean'
  steady?: Excess
  postIdle?: Excess
  /** the run reconnected, lost connections or refreshed its slot map after the gaps */
  recoveredAfterGaps: boolean
}

/** A client p99 far above the server-side time: ratio and absolute gap both over the thresholds. */
/**
 * The client here is rcdiag itself: whatever its own event loop was delayed (a busy machine, many
 * workers in one process) is latency the tool added, not the client under diagnosis. It is taken off
 * before comparing, so a loaded test box does not read as "your client is slow".
 */
const excessive = (clientMs: number, serverMs: number, ownDelayMs: number) => {
  const net = clientMs - ownDelayMs
  return net >= T.ratioToServer * serverMs && net - serverMs >= T.minGapMs
}

/** Post-idle work that the idle-timeout-reconnect and topology-refresh-storm rules account for. */
function recoveredAfterGaps(run: ReplayRunEvidence): boolean {
  const p = run.postIdle
  return (
    p.reconnects > 0 ||
    p.connectionErrors > 0 ||
    p.closedByServerDuringGaps > 0 ||
    p.refreshes > 0 ||
    run.refreshesPerGap > 0 ||
    run.idleFailure !== 'none'
  )
}

function judge(run: ReplayRunEvidence): Judged | undefined {
  const serverKind = run.serverHmgetP99Ms !== null ? 'p99' : run.serverHmgetMeanMs !== null ? 'mean' : undefined
  if (!serverKind) return undefined
  const serverMs = (serverKind === 'p99' ? run.serverHmgetP99Ms : run.serverHmgetMeanMs) as number
  return {
    run,
    serverMs,
    serverKind,
    steady: excessive(run.steady.p99Ms, serverMs, run.steady.eventLoopDelayP99Ms)
      ? {phase: 'steady', clientP99Ms: run.steady.p99Ms}
      : undefined,
    postIdle: excessive(run.postIdle.p99Ms, serverMs, run.postIdle.eventLoopDelayP99Ms)
      ? {phase: 'post-idle', clientP99Ms: run.postIdle.p99Ms}
      : undefined,
    recoveredAfterGaps: recoveredAfterGaps(run),
  }
}

/**
 * The excess this rule reports for a run, or undefined.
 *
 * A high steady p99 always counts, and leads: nothing in the steady phase reconnects or refreshes by design.
 * A high post-idle p99 alone counts only when the run did not reconnect, lose connections or refresh its
 * slot map after the gaps. When it did, idle-timeout-reconnect and topology-refresh-storm already explain
 * the excess with the measured cause, and reporting it a third time as "client-side, unexplained" would
 * send the reader after the event loop or GC instead of the recovery policy. That is a deliberate choice.
 */
function reported(j: Judged): Excess | undefined {
  if (j.steady) return j.steady
  if (j.postIdle && !j.recoveredAfterGaps) return j.postIdle
  return undefined
}

/** Replay's client-side p99 far above the server-side HMGET time, with no server-side cause: the time goes to the client. */
export const clientSideLatency: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const replay = evidence.replay
  if (!replay || replay.runs.length === 0) return undefined

  // A server-side cause (slow commands, latency-monitor events) would explain a client excess: stay silent.
  const reachable = evidence.nodes.filter((n) => n.reachable)
  const slowNode = reachable.some(
    (n) => n.slowlog !== undefined && n.slowlog.length > 0 && n.slowlog.maxDurationUs >= T.serverSlowlogMs * 1000,
  )
  const latencyEvents = reachable.some((n) => n.latencyLatest.length > 0)
  if (slowNode || latencyEvents) return undefined

  const judged = replay.runs.map(judge).filter((j): j is Judged => j !== undefined)
  const flagged = judged.map((j) => ({j, excess: reported(j)})).filter((x): x is {j: Judged; excess: Excess} => x.excess !== undefined)
  if (flagged.length === 0) return undefined

  const lines: string[] = []
  for (const j of judged) {
    const server = `server HMGET ${j.serverKind} ${ms(j.serverMs)} ms`
    const describe = (phase: Phase, clientMs: number) => {
      const ratio = j.serverMs > 0 ? `${round(clientMs / j.serverMs)}x, ` : ''
      return `${phase} p99 ${ms(clientMs)} ms vs ${server} (${ratio}${ms(clientMs - j.serverMs)} ms not spent in the server)`
    }
    const excess = reported(j)
    if (excess) {
      const parts = [describe(excess.phase, excess.clientP99Ms)]
      const other = excess.phase === 'steady' ? j.postIdle : j.steady
      if (other) parts.push(describe(other.phase, other.clientP99Ms))
      lines.push(`replay, ${j.run.client}: ${parts.join('; ')}`)
    } else if (j.postIdle) {
      lines.push(
        `replay, ${j.run.client}: post-idle p99 ${ms(j.run.postIdle.p99Ms)} ms is high too, but that run reconnected or refreshed its slot map after the gaps ` +
          `(see idle-timeout-reconnect, topology-refresh-storm); steady p99 ${ms(j.run.steady.p99Ms)} ms vs ${server}: not counted here`,
      )
    } else {
      lines.push(
        `replay, ${j.run.client}: steady p99 ${ms(j.run.steady.p99Ms)} ms, post-idle p99 ${ms(j.run.postIdle.p99Ms)} ms vs ${server}: within bounds`,
      )
    }
  }
  const unjudged = replay.runs.length - judged.length
  if (unjudged > 0) lines.push(`${unjudged} run(s) without a server-side HMGET time (commandstats/latencystats not read): not compared`)

  const slowlogUnread = reachable.filter((n) => n.slowlog === undefined).length
  const monitorOff = reachable.filter((n) => n.config['latency-monitor-threshold'] === 0).length
  lines.push(
    `no server-side cause: no SLOWLOG entry >= ${T.serverSlowlogMs} ms and no LATENCY LATEST events on ${reachable.length} reachable node(s)` +
      (slowlogUnread > 0 ? `; SLOWLOG unread on ${slowlogUnread} node(s)` : '') +
      (monitorOff > 0
        ? `; latency monitor off on ${monitorOff} node(s) (latency-monitor-threshold 0), so server stalls there would not show`
        : ''),
  )
  const rtts = reachable.filter((n) => typeof n.rttMs === 'number').map((n) => n.rttMs as number)
  const maxRtt = rtts.length > 0 ? Math.max(...rtts) : undefined
  if (maxRtt !== undefined)
    lines.push(
      `rcdiag's PING round trip to the nodes: up to ${ms(maxRtt)} ms, so the network path from here accounts for about that much per command`,
    )
  lines.push(
    'what remains is in the client: its own event loop (blocked by other work), GC pauses, waiting for a free connection in the pool, or the network between client and server',
  )

  const top = [...flagged].sort((a, b) => b.excess.clientP99Ms - b.j.serverMs - (a.excess.clientP99Ms - a.j.serverMs))[0]
  let confidence: number = T.confidence
  if (top.j.serverKind === 'mean') confidence -= T.meanOnlyPenalty
  if (slowlogUnread > 0) confidence -= T.slowlogUnreadPenalty

  const metrics: Record<string, number> = {
    clientP99Ms: top.excess.clientP99Ms,
    serverHmgetMs: top.j.serverMs,
    excessMs: round(top.excess.clientP99Ms - top.j.serverMs, 3),
    flaggedRuns: flagged.length,
    replayRuns: replay.runs.length,
  }
  if (top.j.serverMs > 0) metrics.ratioToServer = round(top.excess.clientP99Ms / top.j.serverMs)
  if (maxRtt !== undefined) metrics.maxRttMs = maxRtt

  const specific =
    `Here: the server accounts for ${ms(top.j.serverMs)} ms (${top.j.serverKind}) of ${top.j.run.client}'s ${ms(top.excess.clientP99Ms)} ms ${top.excess.phase} p99` +
    (flagged.length > 1 ? ` (${flagged.length} models affected)` : '') +
    '; measure the client side first.'

  return {
    id: 'client-side-latency',
    severity: 'warning',
    confidence: round(confidence, 2),
    title:
      `Client-side latency: ${top.j.run.client} ${top.excess.phase} p99 ${ms(top.excess.clientP99Ms)} ms vs ${ms(top.j.serverMs)} ms server-side HMGET ${top.j.serverKind}, ` +
      'with no server-side cause',
    evidence: lines,
    remedy: remedyFor(ENTRY, specific),
    metrics,
  }
}
