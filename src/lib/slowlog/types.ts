/** Shapes shared by the slowlog modules. Field names of these types are part of the JSON contract. */

export type GroupBy = 'command' | 'pattern' | 'node' | 'client'
export const GROUP_BY: readonly GroupBy[] = ['command', 'pattern', 'node', 'client']

/** The reader's entry type: produced where SLOWLOG replies are parsed. */
export type {TimelineEntry} from '../parse/types.js'

export interface SlowlogFilters {
  /** entries per node asked from SLOWLOG GET; null: the whole log */
  count: number | null
  /** keep entries newer than now minus this many ms; null: no limit */
  sinceMs: number | null
  /** keep entries at least this slow; null: no limit */
  minDurationUs: number | null
}

export interface Group {
  /** the command, pattern, node address or client this group stands for */
  key: string
  count: number
  totalUs: number
  p50Us: number
  maxUs: number
  /** ISO 8601 */
  firstSeen: string
  lastSeen: string
  /** addresses of the nodes where it ran, sorted */
  nodes: string[]
}

export interface HistogramBucket {
  label: string
  /** inclusive lower bound */
  minUs: number
  /** exclusive upper bound; null for the last bucket */
  maxUs: number | null
  count: number
}
