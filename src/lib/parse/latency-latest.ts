import {expectArray, replyError, text, toNumber} from './reply.js'
import type {LatencyLatestEvent} from './types.js'

const REPLY = 'LATENCY LATEST'

/** Entries are [event, timestamp, latest ms, max ms]; later versions may append items, ignored here. */
export function parseLatencyLatest(reply: unknown): LatencyLatestEvent[] {
  return expectArray(reply, REPLY).map((item, index) => {
    const entry = expectArray(item, REPLY, `entry ${index}`)
    if (entry.length < 4) throw replyError(REPLY, `entry ${index} has ${entry.length} items, expected at least 4`)
    return {
      event: text(entry[0]),
      timestamp: toNumber(entry[1], REPLY, `entry ${index} timestamp`),
      latestMs: toNumber(entry[2], REPLY, `entry ${index} latest`),
      maxMs: toNumber(entry[3], REPLY, `entry ${index} max`),
    }
  })
}
