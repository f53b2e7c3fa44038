import {closeConnection, openConnection, type Connection} from './connection.js'

import {parseSlowlogTimeline} from '../parse/slowlog.js'
import type {TimelineEntry} from '../parse/types.js'
import {withDeadline} from '../shared/deadline.js'
import {errorMessage, unreachableError} from '../shared/errors.js'
import {isReplyError, nodeErrorText} from './failures.js'
import {targetFor, type Target} from './target.js'

/**
 * The one way rcdiag asks for a SLOWLOG: GET with a count (-1: the whole log) as exact bytes
 * (callBuffer: keys that are not valid UTF-8 keep their bytes), then LEN. probe sends these two in
 * its per-node pipeline, slowlog in a round trip of their own; both parse the reply with
 * parseSlowlogTimeline and leave out isInternalEntry.
 */
export const slowlogGetArgs = (count: number | null): [string, ...string[]] => ['SLOWLOG', 'GET', String(count ?? -1)]
export const SLOWLOG_LEN_ARGS: [string, ...string[]] = ['SLOWLOG', 'LEN']

/** What one node's SLOWLOG said: entries, or why there are none. */
export interface NodeLog {
  address: string
  /** entries read (unfiltered), newest first */
  entries: TimelineEntry[]
  /** SLOWLOG LEN, null when not known */
  length: number | null
  /** set when the node answered but refused SLOWLOG (ACL, renamed command) */
  refused?: string
}

/**
 * SLOWLOG GET (count -1: the whole log) and SLOWLOG LEN on an open connection, in one round trip.
 * Uses callBuffer so keys that are not valid UTF-8 arrive as their exact bytes.
 * A refused command resolves with `refused`; a dead connection or a timeout rejects.
 */
export async function readSlowlog(redis: Connection, address: string, count: number | null, timeoutMs: number): Promise<NodeLog> {
  const get = redis.callBuffer(...slowlogGetArgs(count))
  const len = redis.call(...SLOWLOG_LEN_ARGS)
  // Attach handlers now so neither rejection goes unhandled while the other is awaited.
  const settled = Promise.allSettled([get, len])
  const [getResult, lenResult] = await withDeadline(settled, timeoutMs + 250, () =>
    unreachableError(`no reply to SLOWLOG GET within ${timeoutMs} ms`),
  )
  if (getResult.status === 'rejected') {
    if (isReplyError(getResult.reason)) return {address, entries: [], length: null, refused: errorMessage(getResult.reason)}
    throw getResult.reason
  }
  const length = lenResult.status === 'fulfilled' ? Number(lenResult.value) : null
  return {address, entries: parseSlowlogTimeline(getResult.value, address), length: Number.isFinite(length) ? length : null}
}

/** Opens the node, reads its SLOWLOG, closes: the log, or the one-line reason the node could not be read. */
export async function readNodeSlowlog(base: Target, address: string, count: number | null): Promise<{log: NodeLog} | {error: string}> {
  const target = targetFor(base, address)
  let redis: Connection | undefined
  try {
    redis = await openConnection(target)
    return {log: await readSlowlog(redis, address, count, target.commandTimeoutMs)}
  } catch (error) {
    return {error: nodeErrorText(address, error)}
  } finally {
    closeConnection(redis)
  }
}
