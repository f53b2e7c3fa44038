import {closeConnection, openConnection, type Connection} from './connection.js'

import {parseInfo} from '../parse/info.js'
import {serverIdentity} from '../parse/server.js'
import {parseSlowlogTimeline} from '../parse/slowlog.js'
import type {NodeLog, NodeSlowlogOutcome} from '../parse/types.js'
import {withDeadline} from '../shared/deadline.js'
import {errorMessage} from '../shared/errors.js'
import {blockedKind, isReplyError, nodeErrorText, wrongNodeMessage} from './failures.js'
import {connectAddress, targetFor, type Target} from './target.js'

/**
 * The one way rcdiag asks for a SLOWLOG: GET with a count (-1: the whole log) as exact bytes
 * (callBuffer: keys that are not valid UTF-8 keep their bytes), then LEN. probe sends these two in
 * its per-node pipeline and reads the newest SLOWLOG_READ (128, the default slowlog-max-len) entries
 * for its summary, whose length comes from LEN; slowlog reads the whole log (or --count) in a round
 * trip of its own. Both parse the reply with parseSlowlogTimeline and leave out isInternalEntry.
 */
export const slowlogGetArgs = (count: number | null): [string, ...string[]] => ['SLOWLOG', 'GET', String(count ?? -1)]
export const SLOWLOG_LEN_ARGS: [string, ...string[]] = ['SLOWLOG', 'LEN']

/**
 * SLOWLOG GET (count -1: the whole log) and SLOWLOG LEN on an open connection, in one round trip.
 * Uses callBuffer so keys that are not valid UTF-8 arrive as their exact bytes.
 * A refused command resolves with `refused`; a dead connection or a timeout rejects.
 */
export async function readSlowlog(
  redis: Connection,
  address: string,
  count: number | null,
  timeoutMs: number,
  options: {server?: boolean; myid?: boolean} = {},
): Promise<NodeLog> {
  const get = redis.callBuffer(...slowlogGetArgs(count))
  const len = redis.call(...SLOWLOG_LEN_ARGS)
  // `server`: INFO server in the same round trip, to name the server (one-shot reports, not --follow's polls)
  const info = options.server ? redis.call('INFO', 'server') : Promise.resolve(undefined)
  // `myid`: which node answered at this address (behind NAT it can be another one)
  const myid = options.myid ? redis.call('CLUSTER', 'MYID') : Promise.resolve(undefined)
  // Attach handlers now so no rejection goes unhandled while another is awaited.
  const settled = Promise.allSettled([get, len, info, myid])
  const [getResult, lenResult, infoResult, myidResult] = await withDeadline(
    settled,
    timeoutMs + 250,
    `no reply to SLOWLOG GET within ${timeoutMs} ms`,
  )
  const server =
    infoResult.status === 'fulfilled' && infoResult.value !== undefined ? serverIdentity(parseInfo(String(infoResult.value))) : undefined
  const id = myidResult.status === 'fulfilled' && myidResult.value !== undefined ? String(myidResult.value).trim() || undefined : undefined
  if (getResult.status === 'rejected') {
    // A stuck node (BUSY, LOADING, MASTERDOWN) is not refusing SLOWLOG: it was not read.
    if (isReplyError(getResult.reason) && !blockedKind(getResult.reason)) {
      return {address, entries: [], length: null, refused: errorMessage(getResult.reason), server, id}
    }
    throw getResult.reason
  }
  const length = lenResult.status === 'fulfilled' ? Number(lenResult.value) : null
  return {address, entries: parseSlowlogTimeline(getResult.value, address), length: Number.isFinite(length) ? length : null, server, id}
}

/**
 * Opens the node at its announced address (through --nat-map), reads its SLOWLOG, closes. With
 * `expectedId` (cluster mode) the node must be that one: a log read from another node is not its log.
 */
export async function readNodeSlowlog(
  base: Target,
  address: string,
  count: number | null,
  expectedId?: string,
): Promise<NodeSlowlogOutcome> {
  const target = targetFor(base, address)
  const reachedAt = connectAddress(base, address)
  const via = reachedAt === address ? {} : {connectedAt: reachedAt}
  let redis: Connection | undefined
  try {
    redis = await openConnection(target)
    const log = await readSlowlog(redis, address, count, target.commandTimeoutMs, {server: true, myid: expectedId !== undefined})
    if (expectedId && log.id && log.id !== expectedId) {
      return {error: wrongNodeMessage(log.id, expectedId), answeredAs: log.id, ...via}
    }
    return {log, ...via}
  } catch (error) {
    const blocked = blockedKind(error)
    return {error: nodeErrorText(address, error), ...(blocked ? {blocked} : {}), ...via}
  } finally {
    closeConnection(redis)
  }
}

export type {NodeLog} from '../parse/types.js'
