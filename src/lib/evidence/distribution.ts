import type {Distribution} from './types.js'

/** Nearest-rank percentiles: exact values that occurred, which is what an operator expects for ages. */
export function distribution(values: number[]): Distribution {
  if (values.length === 0) return {count: 0, p50: 0, p90: 0, max: 0}
  const sorted = [...values].sort((a, b) => a - b)
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]
  return {count: sorted.length, p50: at(0.5), p90: at(0.9), max: sorted[sorted.length - 1]}
}
