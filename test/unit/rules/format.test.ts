import {describe, expect, it} from 'vitest'

import {mb, median, ms, round, slotRanges} from '../../../src/lib/rules/format.js'

describe('slotRanges', () => {
  it('compresses runs and ignores order and duplicates', () => {
    expect(slotRanges([])).toEqual([])
    expect(slotRanges([5])).toEqual(['5'])
    expect(slotRanges([10, 9, 1, 2, 3, 3, 7])).toEqual(['1-3', '7', '9-10'])
  })
})

describe('number helpers', () => {
  it('round, ms, mb and median', () => {
    expect(round(1.26)).toBe(1.3)
    expect(round(1.256, 2)).toBe(1.26)
    expect(ms(0.03912)).toBe(0.039)
    expect(ms(12.345)).toBe(12.3)
    expect(mb(1536 * 1024)).toBe(1.5)
    expect(median([])).toBe(0)
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })
})
