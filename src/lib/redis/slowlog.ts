import type {Redis} from 'ioredis'

import {isReplyError, RCDIAG_CLIENT_NAME, withDeadline} from './connection.js'
import {errorMessage, unreachableError} from '../shared/errors.js'
import {parseSlowlog} from '../parse/slowlog.js'
import {displayArgs, escapeBytes} from '../parse/escape.js'
import {commandName, entryPattern} from '../parse/command-pattern.js'
import type {TimelineEntry} from '../slowlog/types.js'

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
export async function readSlowlog(redis: Redis, address: string, count: number | null, timeoutMs: number): Promise<NodeLog> {
  const get = redis.callBuffer('SLOWLOG', 'GET', String(count ?? -1))
  const len = redis.call('SLOWLOG', 'LEN')
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
  return {address, entries: toTimeline(getResult.value, address), length: Number.isFinite(length) ? length : null}
}

/** A SLOWLOG GET reply (Buffers or strings) as timeline entries; arguments escaped from their bytes. */
export function toTimeline(reply: unknown, node: string): TimelineEntry[] {
  const parsed = parseSlowlog(reply)
  return parsed.map((entry, index) => {
    const raw = (reply as unknown[][])[index][3] as unknown[]
    const args = displayArgs(raw.map(toBytes))
    return {
      node,
      id: entry.id,
      timestamp: entry.timestamp,
      time: new Date(entry.timestamp * 1000).toISOString(),
      durationUs: entry.durationUs,
      command: commandName(args),
      pattern: entryPattern(args),
      args,
      clientAddr: escapeBytes(toBytes((reply as unknown[][])[index][4] ?? '')),
      clientName: escapeBytes(toBytes((reply as unknown[][])[index][5] ?? '')),
    }
  })
}

/** rcdiag's own connections (named "rcdiag") are not the workload under diagnosis. */
export function isOwnEntry(entry: TimelineEntry): boolean {
  return entry.clientName === RCDIAG_CLIENT_NAME
}

function toBytes(value: unknown): Uint8Array {
  if (Buffer.isBuffer(value)) return value
  return Buffer.from(typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '', 'utf8')
}
