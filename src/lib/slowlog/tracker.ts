/**
 * What `--follow` remembers per node: the newest entry already seen. A pure state machine, fed
 * with each poll's SLOWLOG GET reply (newest first; a node's ids are consecutive).
 *
 * Ids only grow while a server lives (SLOWLOG RESET empties the log but keeps counting), so new
 * entries are those with a larger id. A restart starts ids again at 0; it shows as the newest id
 * below the tracked one, or as the tracked id now naming a different entry. Then every entry in
 * the log is new.
 */

export interface Cursor {
  /** id of the newest entry seen; -1 when the log was empty at the start */
  id: number
  /** timestamp and duration of that entry: together with the id, its fingerprint */
  timestamp: number
  durationUs: number
}

export interface TrackedEntry {
  id: number
  timestamp: number
  durationUs: number
}

export interface Advance<T extends TrackedEntry> {
  cursor: Cursor
  /** entries not seen before, oldest first */
  fresh: T[]
  /** the ids went back: the node restarted (or its log was replaced) */
  restarted: boolean
}

const EMPTY: Cursor = {id: -1, timestamp: 0, durationUs: 0}

/** The first poll sets the baseline: what is already in the log is not "new". */
export function baseline(entries: TrackedEntry[]): Cursor {
  const newest = newestOf(entries)
  return newest ? cursorOf(newest) : EMPTY
}

export function advance<T extends TrackedEntry>(cursor: Cursor, entries: T[]): Advance<T> {
  const sorted = [...entries].sort((a, b) => b.id - a.id)
  const newest = sorted[0]
  if (!newest) return {cursor, fresh: [], restarted: false}
  const oldest = sorted[sorted.length - 1]
  const all = (restarted: boolean): Advance<T> => ({cursor: cursorOf(newest), fresh: sorted.reverse(), restarted})

  if (cursor.id < 0) return all(false)
  if (newest.id < cursor.id) return all(true)
  if (oldest.id > cursor.id) return all(false) // everything after the cursor, or a RESET then new entries
  const seen = sorted.find((e) => e.id === cursor.id)
  if (!seen || seen.timestamp !== cursor.timestamp || seen.durationUs !== cursor.durationUs) return all(true)
  const fresh = sorted.filter((e) => e.id > cursor.id).reverse()
  return {cursor: cursorOf(newest), fresh, restarted: false}
}

function newestOf(entries: TrackedEntry[]): TrackedEntry | undefined {
  return entries.reduce<TrackedEntry | undefined>((best, e) => (!best || e.id > best.id ? e : best), undefined)
}

function cursorOf(entry: TrackedEntry): Cursor {
  return {id: entry.id, timestamp: entry.timestamp, durationUs: entry.durationUs}
}
