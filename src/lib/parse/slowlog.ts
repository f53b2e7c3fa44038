import {isRcdiagClientName, RCDIAG_KEY_PREFIX} from '../shared/constants.js'
import {commandName, entryPattern} from './command-pattern.js'
import {displayArgs, escapeBytes} from './escape.js'
import {expectArray, replyError, text, toNumber} from './reply.js'
import type {SlowlogEntry, TimelineEntry} from './types.js'

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

/** A SLOWLOG GET reply (Buffers or strings) as timeline entries; arguments escaped from their bytes. */
export function parseSlowlogTimeline(reply: unknown, node: string): TimelineEntry[] {
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
/**
 * rcdiag's own traffic is not the workload under diagnosis: commands of its connections (named
 * `rcdiag`, `rcdiag-replay-<model>`, …) and commands on replay's keys (default prefix), which is
 * how replay's writes show on replicas, applied by the master's link.
 */
export function isOwnEntry(entry: Pick<TimelineEntry, 'clientName' | 'args'>): boolean {
  return isRcdiagClientName(entry.clientName) || (entry.args[1] ?? '').startsWith(RCDIAG_KEY_PREFIX)
}

/** Replication traffic between nodes lands in SLOWLOG too; it says nothing about client commands. */
const REPLICATION_COMMANDS = new Set(['PSYNC', 'SYNC', 'REPLCONF'])

export function isReplicationEntry(entry: Pick<TimelineEntry, 'command'>): boolean {
  return REPLICATION_COMMANDS.has(entry.command.split(' ')[0])
}

/**
 * Entries that are not the workload: replication and rcdiag's own reads (slow only because the
 * machine was busy). probe and slowlog leave out exactly these.
 */
export function isInternalEntry(entry: Pick<TimelineEntry, 'command' | 'clientName' | 'args'>): boolean {
  return isReplicationEntry(entry) || isOwnEntry(entry)
}

function toBytes(value: unknown): Uint8Array {
  if (Buffer.isBuffer(value)) return value
  return Buffer.from(typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '', 'utf8')
}
