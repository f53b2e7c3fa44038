import {describe, expect, it} from 'vitest'

import {slotRanges} from '../../../src/lib/rules/format.js'

describe('slotRanges', () => {
  it('compresses runs and ignores order and duplicates', () => {
    expect(slotRanges([])).toEqual([])
    expect(slotRanges([5])).toEqual(['5'])
    expect(slotRanges([10, 9, 1, 2, 3, 3, 7])).toEqual(['1-3', '7', '9-10'])
  })
})
