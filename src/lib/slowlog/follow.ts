import {setTimeout as sleep} from 'node:timers/promises'

import {isInternalEntry} from '../parse/slowlog.js'
import {nodeErrorText} from '../redis/failures.js'
import {fanOut} from '../redis/fan-out.js'
import {NodeSession} from '../redis/session.js'
import {readSlowlog} from '../redis/slowlog.js'
import {targetFor, type Target} from '../redis/target.js'
import {discoverFrom, type TopologyNode} from '../redis/topology.js'
import {applyFilters, newestFirst} from './merge.js'
import {advance, baseline, type Cursor} from './tracker.js'
import type {SlowlogFilters, TimelineEntry} from './types.js'

/** Time between two polls of every node, by default. */
export const DEFAULT_FOLLOW_INTERVAL_MS = 1000

export interface FollowOptions extends SlowlogFilters {
  /** time between two polls of every node (default 1000 ms) */
  intervalMs?: number
  concurrency?: number
  /** aborting stops the loop; followSlowlog then resolves */
  signal: AbortSignal
  /** each new entry, in time order (oldest first within a poll) */
  onEntry: (entry: TimelineEntry) => void
  /** one-line notices for stderr: a node stopped answering, came back, restarted, refused */
  onNotice: (message: string) => void
}

interface NodeState {
  node: TopologyNode
  session: NodeSession
  cursor?: Cursor
  /** a problem already reported; reported again only after the node recovered */
  problem?: 'down' | 'refused'
}

/**
 * Tails every node's SLOWLOG until the signal aborts. The entries already in the logs when it
 * starts are the baseline, not output. A node that stops answering is reported once and retried
 * at every poll, on a new connection.
 */
export async function followSlowlog(target: Target, options: FollowOptions): Promise<void> {
  const {signal} = options
  const topology = await discoverFrom(target)
  const states: NodeState[] = topology.nodes.map((node) => ({node, session: new NodeSession(targetFor(target, node.address))}))
  const stopped = new Promise<void>((resolve) => {
    if (signal.aborted) resolve()
    else signal.addEventListener('abort', () => resolve(), {once: true})
  })
  try {
    while (!signal.aborted) {
      const poll = fanOut(states, (state) => pollNode(state, options), options.concurrency)
      const fresh = await Promise.race([poll.then((lists) => lists.flat()), stopped.then(() => [])])
      if (signal.aborted) break
      const shown = applyFilters(
        fresh.filter((e) => !isInternalEntry(e)),
        {sinceMs: null, minDurationUs: options.minDurationUs},
        Date.now(),
      )
      for (const entry of shown.sort(newestFirst).reverse()) options.onEntry(entry)
      await sleep(options.intervalMs ?? DEFAULT_FOLLOW_INTERVAL_MS, undefined, {signal}).catch(() => {})
    }
  } finally {
    for (const state of states) state.session.close()
  }
}

/** One node, one poll: its new entries (empty on the first poll, or when it does not answer). */
async function pollNode(state: NodeState, options: FollowOptions): Promise<TimelineEntry[]> {
  const {address} = state.node
  const {session} = state
  try {
    const redis = await session.connection()
    const log = await readSlowlog(redis, address, options.count, session.target.commandTimeoutMs)
    if (log.refused !== undefined) {
      if (state.problem !== 'refused') options.onNotice(`${address}: SLOWLOG refused, node skipped: ${log.refused}`)
      state.problem = 'refused'
      return []
    }
    if (options.signal.aborted) return []
    if (state.problem === 'down') options.onNotice(`${address}: answers again`)
    state.problem = undefined
    if (!state.cursor) {
      state.cursor = baseline(log.entries)
      return []
    }
    const step = advance(state.cursor, log.entries)
    if (step.restarted) options.onNotice(`${address}: slowlog ids went back (node restarted?); reading its log from the start`)
    state.cursor = step.cursor
    return step.fresh
  } catch (error) {
    session.reset()
    if (state.problem !== 'down' && !options.signal.aborted) {
      options.onNotice(`${address}: stopped answering (${nodeErrorText(address, error)}); retrying`)
    }
    state.problem = 'down'
    return []
  }
}
