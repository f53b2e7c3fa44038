import {RCDIAG_CLIENT_NAME} from '../shared/constants.js'
import type {SlowlogEntry} from '../parse/types.js'
import {escapeBytes} from '../parse/escape.js'
import {commandName, entryPattern} from '../parse/command-pattern.js'
import type {SlowlogSummary} from './types.js'

const TOP_COMMANDS = 5

/** Replication traffic between nodes lands in SLOWLOG too; it says nothing about client commands. */
const INTERNAL = new Set(['PSYNC', 'SYNC', 'REPLCONF'])

/** Replication traffic, and rcdiag's own reads (slow only because the machine was busy). */
const isInternal = (e: SlowlogEntry) => INTERNAL.has((e.args[0] ?? '').toUpperCase()) || e.clientName === RCDIAG_CLIENT_NAME

/** `argsEscaped`: the arguments were already escaped for display (the slowlog command's timeline). */
export function summarizeSlowlog(all: SlowlogEntry[], length: number | undefined, argsEscaped = false): SlowlogSummary {
  const entries = all.filter((e) => !isInternal(e))
  const internalEntries = all.length - entries.length
  const byCommand = new Map<string, {command: string; count: number; totalUs: number; maxUs: number}>()
  for (const entry of entries) {
    const command = commandName(entry.args)
    const row = byCommand.get(command) ?? {command, count: 0, totalUs: 0, maxUs: 0}
    row.count++
    row.totalUs += entry.durationUs
    row.maxUs = Math.max(row.maxUs, entry.durationUs)
    byCommand.set(command, row)
  }
  const byPattern = new Map<string, {pattern: string; count: number; totalUs: number; maxUs: number}>()
  for (const entry of entries) {
    const pattern = entryPattern(argsEscaped ? entry.args : entry.args.map((arg) => escapeBytes(arg)))
    const row = byPattern.get(pattern) ?? {pattern, count: 0, totalUs: 0, maxUs: 0}
    row.count++
    row.totalUs += entry.durationUs
    row.maxUs = Math.max(row.maxUs, entry.durationUs)
    byPattern.set(pattern, row)
  }
  return {
    length: Math.max(0, (length ?? all.length) - internalEntries),
    internalEntries,
    read: entries.length,
    maxDurationUs: entries.reduce((max, e) => Math.max(max, e.durationUs), 0),
    topCommands: [...byCommand.values()].sort((a, b) => b.totalUs - a.totalUs).slice(0, TOP_COMMANDS),
    topPatterns: [...byPattern.values()].sort((a, b) => b.totalUs - a.totalUs).slice(0, TOP_COMMANDS),
    newestTimestamp: entries.length > 0 ? Math.max(...entries.map((e) => e.timestamp)) : undefined,
  }
}
