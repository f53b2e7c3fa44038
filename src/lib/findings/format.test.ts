import {describe, expect, it} from 'vitest'

import {mb, ms, remedyFor, round, slotRanges} from './format.js'

describe('slotRanges', () => {
  it('compresses runs and ignores order and duplicates', () => {
    expect(slotRanges([])).toEqual([])
    expect(slotRanges([5])).toEqual(['5'])
    expect(slotRanges([10, 9, 1, 2, 3, 3, 7])).toEqual(['1-3', '7', '9-10'])
  })
})

describe('number helpers', () => {
  it('round, ms and mb', () => {
    expect(round(1.26)).toBe(1.3)
    expect(round(1.256, 2)).toBe(1.26)
    expect(ms(0.03912)).toBe(0.039)
    expect(ms(12.345)).toBe(12.3)
    expect(mb(1536 * 1024)).toBe(1.5)
  })

  it('remedyFor puts the measured specifics before the catalog remedy, skipping empty ones', () => {
    expect(remedyFor({remedy: 'Do X.'}, 'Here: a.', undefined, '')).toBe('Here: a. Do X.')
    expect(remedyFor({remedy: 'Do X.'})).toBe('Do X.')
  })
})
