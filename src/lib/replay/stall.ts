import type {OpContext} from './types.js'

/** A node that answered nothing for long enough that going on would only repeat it. */
export interface Stall {
  node: string
  /** from the start of the oldest operation still waiting on it (or timed out) to when the stall was seen */
  silentMs: number
  /** operations on that node that got no answer meanwhile (timed out, or still waiting) */
  timeouts: number
}

interface NodeState {
  /** start times of the operations in flight on this node */
  inFlight: Set<number>
  /** when the node last answered an operation (its start time: it was alive from then on) */
  answeredSince: number
  /** start of the oldest operation that timed out since the last answer */
  silentSince?: number
  timedOut: number
}

/**
 * Watches, per node, the operations of one phase. A node has stalled when an operation on it has
 * waited (in flight, or until it timed out) for `afterMs` (two command timeouts: one slow reply is
 * a hiccup, two a stopped process) and the node answered no operation that started after it. That
 * is a suspicion: operations also wait on a node that answers when the client itself is stuck
 * elsewhere, so the caller checks the nodes and `dismiss`es it when they answer.
 * In-flight operations count: a model that retries inside one operation (refresh, reconnect) can
 * wait on a stopped node for many timeouts before it gives up. Reports the phase's first stall
 * once. Pure: times are passed in.
 */
export class StallWatch {
  private readonly nodes = new Map<string, NodeState>()
  private reported = false
  private quietUntil = Number.NEGATIVE_INFINITY

  constructor(
    private readonly afterMs: number,
    private readonly onStall: (stall: Stall) => void,
  ) {}

  started(node: string | undefined, at: number): void {
    if (node === undefined) return
    this.state(node).inFlight.add(at)
  }

  ended(node: string | undefined, startedAt: number, ok: boolean, ctx: OpContext, now: number): void {
    if (node === undefined) return
    const state = this.state(node)
    state.inFlight.delete(startedAt)
    if (ok) {
      if (startedAt >= state.answeredSince) {
        state.answeredSince = startedAt
        state.silentSince = undefined
        state.timedOut = 0
      }
    } else if (ctx.timeouts > 0 && startedAt >= state.answeredSince) {
      state.silentSince = Math.min(state.silentSince ?? startedAt, startedAt)
      state.timedOut++
    }
    this.check(now)
  }

  /** Called on every completed operation and on a timer, so that operations still waiting count. */
  check(now: number): void {
    if (this.reported || now < this.quietUntil) return
    for (const [node, state] of this.nodes) {
      const waiting = [...state.inFlight].filter((at) => at >= state.answeredSince)
      const oldest = Math.min(state.silentSince ?? Number.POSITIVE_INFINITY, ...waiting)
      if (!Number.isFinite(oldest) || now - oldest < this.afterMs) continue
      this.reported = true
      this.onStall({node, silentMs: Math.round(now - oldest), timeouts: state.timedOut + waiting.length})
      return
    }
  }

  /**
   * The suspected node turned out to answer (the operations wait on something else, e.g. the
   * client's own slot-map refresh through another node): suspect nothing for another `afterMs`.
   */
  dismiss(now: number): void {
    this.reported = false
    this.quietUntil = now + this.afterMs
  }

  private state(node: string): NodeState {
    let state = this.nodes.get(node)
    if (!state) {
      state = {inFlight: new Set(), answeredSince: Number.NEGATIVE_INFINITY, timedOut: 0}
      this.nodes.set(node, state)
    }
    return state
  }
}
