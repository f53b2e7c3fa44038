import {percentile} from '../shared/stats.js'
import type {Group, GroupBy, HistogramBucket, TimelineEntry} from './types.js'

/** Upper bounds (exclusive, µs) of the histogram buckets; the last bucket is open. */
const BUCKETS: Array<{label: string; maxUs: number | null}> = [
  {label: '<1ms', maxUs: 1_000},
  {label: '1-10ms', maxUs: 10_000},
  {label: '10-100ms', maxUs: 100_000},
  {label: '100ms-1s', maxUs: 1_000_000},
  {label: '>1s', maxUs: null},
]

/** The value an entry is grouped under. A client is its name, or its IP when it has none. */
export function groupKey(entry: TimelineEntry, by: GroupBy): string {
  switch (by) {
    case 'command':
      return entry.command
    case 'pattern':
      return entry.pattern
    case 'node':
      return entry.node
    case 'client':
      return entry.clientName || clientHost(entry.clientAddr) || '(unknown)'
  }
}

/** Groups with count, total, p50 and max; the largest total time first (ties: count, then key). */
export function groupEntries(entries: TimelineEntry[], by: GroupBy): Group[] {
  const buckets = new Map<string, TimelineEntry[]>()
  for (const entry of entries) {
    const key = groupKey(entry, by)
    const list = buckets.get(key)
    if (list) list.push(entry)
    else buckets.set(key, [entry])
  }
  const groups = [...buckets].map(([key, list]) => summarize(key, list))
  return groups.sort((a, b) => b.totalUs - a.totalUs || b.count - a.count || a.key.localeCompare(b.key))
}

export function histogram(entries: TimelineEntry[]): HistogramBucket[] {
  let minUs = 0
  const buckets = BUCKETS.map(({label, maxUs}) => {
    const bucket: HistogramBucket = {label, minUs, maxUs, count: 0}
    minUs = maxUs ?? minUs
    return bucket
  })
  for (const entry of entries) {
    const index = buckets.findIndex((b) => b.maxUs === null || entry.durationUs < b.maxUs)
    buckets[index].count++
  }
  return buckets
}

function summarize(key: string, entries: TimelineEntry[]): Group {
  const durations = entries.map((e) => e.durationUs).sort((a, b) => a - b)
  const timestamps = entries.map((e) => e.timestamp)
  return {
    key,
    count: entries.length,
    totalUs: durations.reduce((sum, d) => sum + d, 0),
    p50Us: percentile(durations, 50),
    maxUs: durations[durations.length - 1],
    firstSeen: new Date(Math.min(...timestamps) * 1000).toISOString(),
    lastSeen: new Date(Math.max(...timestamps) * 1000).toISOString(),
    nodes: [...new Set(entries.map((e) => e.node))].sort(),
  }
}

function clientHost(addr: string): string {
  const index = addr.lastIndexOf(':')
  return index > 0 ? addr.slice(0, index) : addr
}
