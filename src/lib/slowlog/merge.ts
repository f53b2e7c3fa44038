import type {SlowlogFilters, TimelineEntry} from './types.js'

/**
 * One timeline from every node's log, newest first. SLOWLOG timestamps have one-second
 * resolution, so entries of the same second are ordered by node, then by the node's own id.
 */
export function mergeTimeline(logs: TimelineEntry[][]): TimelineEntry[] {
  return logs.flat().sort(newestFirst)
}

export function newestFirst(a: TimelineEntry, b: TimelineEntry): number {
  return b.timestamp - a.timestamp || compare(a.node, b.node) || b.id - a.id
}

/** Keeps entries newer than `nowMs - sinceMs` and at least `minDurationUs` slow. */
export function applyFilters(
  entries: TimelineEntry[],
  filters: Pick<SlowlogFilters, 'sinceMs' | 'minDurationUs'>,
  nowMs: number,
): TimelineEntry[] {
  const cutoffSec = filters.sinceMs === null ? null : (nowMs - filters.sinceMs) / 1000
  return entries.filter(
    (entry) =>
      (cutoffSec === null || entry.timestamp >= Math.floor(cutoffSec)) &&
      (filters.minDurationUs === null || entry.durationUs >= filters.minDurationUs),
  )
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
