/** memory-pressure: what `rcdiag explain memory-pressure` prints, and every threshold and confidence its rule uses. */
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
  /** used_memory at or above this fraction of maxmemory (when maxmemory > 0) */
  warningFraction: 0.9,
  fragmentationRatio: 1.5,
  /** below this RSS fragmentation ratios mean nothing (a small heap always looks fragmented) */
  fragmentationMinRssBytes: 100 * 1024 ** 2,
  /** confidence when a --sample saw a node evicting keys (evicted keys/s > 0) */
  evictingConfidence: 0.8,
  /** confidence when, without evictions during a sample, a node is at `warningFraction` of maxmemory or evicted keys since start */
  fullOrEvictedConfidence: 0.6,
  /** confidence when fragmentation alone fires */
  fragmentedConfidence: 0.5,
} as const

const T = THRESHOLDS

export const ENTRY: CatalogEntry = {
  id: 'memory-pressure',
  title: 'Memory is near maxmemory, keys are evicted, or memory is fragmented',
  severities: ['warning'],
  meaning:
    'Near `maxmemory` every write may trigger evictions inside the command; heavy fragmentation and swapping make memory access slow. All add latency that comes and goes with the write rate.',
  detection:
    'Warning when a reachable node has evicted keys (evicted_keys > 0 since start; a --sample adds the eviction rate, evicted keys/s > 0), ' +
    `when used_memory is >= ${T.warningFraction * 100}% of maxmemory (maxmemory > 0), ` +
    `or when mem_fragmentation_ratio is >= ${T.fragmentationRatio} with used_memory_rss >= ${T.fragmentationMinRssBytes / 1024 ** 2} MB ` +
    '(a small instance always shows a high ratio: ignored below that RSS). Evidence: per node used memory / maxmemory, policy, evictions, RSS and ratio.',
  remedy:
    'Raise `maxmemory` or add shards, set TTLs, choose an eviction policy that fits (`allkeys-lru`/`allkeys-lfu`), enable `activedefrag yes` for fragmentation, and make sure the host never swaps.',
}
