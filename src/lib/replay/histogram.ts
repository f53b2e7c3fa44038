import * as hdr from 'hdr-histogram-js'

import type {LatencySummaryMs} from './types.js'

export type LatencyHistogram = hdr.Histogram

/** Integer microseconds, 1 µs to 1 hour, 3 significant digits: what dashboards can merge. */
export function newHistogram(): LatencyHistogram {
  return hdr.build({lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3})
}

export function recordMicros(histogram: LatencyHistogram, micros: number): void {
  histogram.recordValue(Math.max(1, Math.min(3_600_000_000, Math.round(micros))))
}

const ms = (us: number) => Math.round(us) / 1000

/** Percentiles read with getValueAtPercentile (`summary` rounds too coarsely). */
export function summarize(histogram: LatencyHistogram): LatencySummaryMs {
  if (histogram.totalCount === 0) return {p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0}
  return {
    p50: ms(histogram.getValueAtPercentile(50)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p99: ms(histogram.getValueAtPercentile(99)),
    p999: ms(histogram.getValueAtPercentile(99.9)),
    max: ms(histogram.maxValue),
    mean: Math.round(histogram.mean) / 1000,
  }
}

export function encode(histogram: LatencyHistogram): string {
  return hdr.encodeIntoCompressedBase64(histogram)
}

export function decode(base64: string): LatencyHistogram {
  return hdr.decodeFromCompressedBase64(base64)
}
