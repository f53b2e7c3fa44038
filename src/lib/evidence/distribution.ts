import {percentile} from '../shared/stats.js'
import type {Distribution} from './types.js'

/** Nearest-rank percentiles: exact values that occurred, which is what an operator expects for ages. */
export function distribution(values: number[]): Distribution {
  if (values.length === 0) return {count: 0, p50: 0, p90: 0, max: 0}
  const sorted = [...values].sort((a, b) => a - b)
  return {count: sorted.length, p50: percentile(sorted, 50), p90: percentile(sorted, 90), max: sorted[sorted.length - 1]}
}
