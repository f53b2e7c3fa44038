/**
 * The recent normal of one rate, robustly: median and median absolute deviation over a bounded
 * window (a ring buffer: memory does not grow with the watch's length), and whether a new value
 * stands out from it by enough, and above an absolute floor.
 */
export class RingBuffer {
  private readonly values: number[] = []
  private next = 0

  constructor(readonly capacity: number) {}

  push(value: number): void {
    if (this.values.length < this.capacity) this.values.push(value)
    else this.values[this.next] = value
    this.next = (this.next + 1) % this.capacity
  }

  get size(): number {
    return this.values.length
  }

  snapshot(): number[] {
    return [...this.values]
  }
}

export interface Baseline {
  median: number
  /** median absolute deviation */
  mad: number
  samples: number
}

export function baselineOf(values: readonly number[]): Baseline {
  if (values.length === 0) return {median: 0, mad: 0, samples: 0}
  const median = medianOf(values)
  return {median, mad: medianOf(values.map((v) => Math.abs(v - median))), samples: values.length}
}

/**
 * Anomalous: at or above the absolute `floor` (per second, from the findings' thresholds) and
 * above median + k x spread of the recent window. The spread is at least 10% of the median and at
 * least 1/s, so a perfectly flat window does not make every wobble an episode.
 */
export function isAnomalous(value: number, baseline: Baseline, floor: number, k = 5): boolean {
  if (value < floor) return false
  const spread = Math.max(baseline.mad * 1.4826, baseline.median * 0.1, 1)
  return value > baseline.median + k * spread
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
