import {isInternalEntry} from '../parse/slowlog.js'
import type {TimelineEntry} from '../parse/types.js'
import type {SlowlogSummary} from './types.js'

const TOP_COMMANDS = 5

/**
 * One node's SLOWLOG as the rules read it: replication and rcdiag's own entries left out (the same
 * isInternalEntry the slowlog command uses), grouped by command and by key pattern.
 */
export function summarizeSlowlog(all: TimelineEntry[], length: number | undefined): SlowlogSummary {
  const entries = all.filter((e) => !isInternalEntry(e))
  const internalEntries = all.length - entries.length
  const byCommand = new Map<string, {command: string; count: number; totalUs: number; maxUs: number}>()
  for (const entry of entries) {
    const command = entry.command
    const row = byCommand.get(command) ?? {command, count: 0, totalUs: 0, maxUs: 0}
    row.count++
    row.totalUs += entry.durationUs
    row.maxUs = Math.max(row.maxUs, entry.durationUs)
    byCommand.set(command, row)
  }
  const byPattern = new Map<string, {pattern: string; count: number; totalUs: number; maxUs: number}>()
  for (const entry of entries) {
    const pattern = entry.pattern
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
