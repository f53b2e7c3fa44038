import {describe, expect, it} from 'vitest'

import {decode, newHistogram, recordMicros, summarize, encode} from '../../../src/lib/replay/histogram.js'

describe('histograms', () => {
  it('records integer microseconds and reads exact percentiles; base64 round-trips', () => {
    const h = newHistogram()
    for (let i = 1; i <= 1000; i++) recordMicros(h, i * 1000) // 1..1000 ms
    const s = summarize(h)
    expect(s.p50).toBeCloseTo(500, -1)
    expect(s.p99).toBeCloseTo(990, -1)
    expect(s.max).toBeCloseTo(1000, -1)
    expect(decode(encode(h)).totalCount).toBe(1000)
  })
})
