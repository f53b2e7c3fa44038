import {expectArray, replyError, text, toNumber} from './reply.js'
import type {SlowlogEntry} from './types.js'

const REPLY = 'SLOWLOG GET'

/**
 * Entries are [id, timestamp, durationUs, args[], clientAddr, clientName]; the last two arrived
 * in Redis 4.0, so they default to "". Buffer args (from callBuffer) are decoded as UTF-8, which is
 * what ioredis does for string replies anyway; invalid bytes become U+FFFD. Callers needing exact
 * bytes should keep the Buffers themselves.
 */
export function parseSlowlog(reply: unknown): SlowlogEntry[] {
  return expectArray(reply, REPLY).map((item, index) => {
    const entry = expectArray(item, REPLY, `entry ${index}`)
    if (entry.length < 4) throw replyError(REPLY, `entry ${index} has ${entry.length} items, expected at least 4`)
    return {
      id: toNumber(entry[0], REPLY, `entry ${index} id`),
      timestamp: toNumber(entry[1], REPLY, `entry ${index} timestamp`),
      durationUs: toNumber(entry[2], REPLY, `entry ${index} duration`),
      args: expectArray(entry[3], REPLY, `entry ${index} arguments`).map(text),
      clientAddr: text(entry[4]),
      clientName: text(entry[5]),
    }
  })
}
