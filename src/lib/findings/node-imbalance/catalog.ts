/** node-imbalance: what `rcdiag explain node-imbalance` prints, and every threshold and confidence its rule uses. */
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
  /** a master's sampled ops/s at least this many times the median of the other masters... */
  opsRatio: 3,
  /** ... and at least this many ops/s */
  minOpsPerSec: 100,
  /** a master's used memory at least this many times the median of the other masters... */
  memoryRatio: 2,
  /** ... and at least this many bytes above it */
  minMemoryDiffBytes: 100 * 1024 ** 2,
  opsConfidence: 0.7,
  memoryConfidence: 0.5,
} as const

const T = THRESHOLDS

export const ENTRY: CatalogEntry = {
  id: 'node-imbalance',
  title: 'One master carries far more load or memory than the others',
  severities: ['warning'],
  meaning:
    'A hot slot or hot key concentrates load on one node: that node queues while the others idle, so only commands for its slots are slow, which clients see as random latency.',
  detection:
    'Compares masters only, at least two. ' +
    `Warning when a master's ops/s (needs --sample) is >= ${T.opsRatio} x the median of the other masters and >= ${T.minOpsPerSec}/s, ` +
    `or when its used_memory is >= ${T.memoryRatio} x the median of the other masters and >= ${T.minMemoryDiffBytes / 1024 ** 2} MB above it. ` +
    'The title names the hot node (by ops/s when both fire). Evidence: ops/s and used memory of every master.',
  remedy:
    'Find the hot keys (`redis-cli --hotkeys` with an LFU policy, or `--bigkeys`/`--memkeys`), then split them, cache them client-side, or rebalance slots with `redis-cli --cluster rebalance`.',
}
