import {describe, expect, it} from 'vitest'

import {median, percentile} from '../../../src/lib/shared/stats.js'

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([])).toBe(0)
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })
})

describe('percentile', () => {
  it('is nearest-rank over an ascending list', () => {
    expect(percentile([], 50)).toBe(0)
    expect(percentile([7], 50)).toBe(7)
    expect(percentile([1, 2], 50)).toBe(1)
    expect(percentile([1, 2, 3, 4, 5], 50)).toBe(3)
    expect(percentile([1, 2, 3, 4, 5], 90)).toBe(5)
    expect(percentile([1, 2, 3, 4, 5], 100)).toBe(5)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9)
  })
})
