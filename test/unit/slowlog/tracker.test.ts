import {describe, expect, it} from 'vitest'

import {advance, baseline, type Cursor} from '../../../src/lib/slowlog/tracker.js'

/** A log as SLOWLOG GET returns it: newest first. Timestamps derive from the id unless given. */
const log = (...ids: Array<number | [number, number]>) =>
  ids.map((x) => (Array.isArray(x) ? {id: x[0], timestamp: x[1], durationUs: 10} : {id: x, timestamp: 1000 + x, durationUs: 10}))
const ids = (entries: Array<{id: number}>) => entries.map((e) => e.id)

describe('follow tracker', () => {
  it('takes the baseline from the first poll', () => {
    expect(baseline(log(5, 4, 3))).toEqual({id: 5, timestamp: 1005, durationUs: 10})
    expect(baseline([])).toEqual({id: -1, timestamp: 0, durationUs: 0})
  })

  it('returns only entries newer than the cursor, oldest first', () => {
    const step = advance(baseline(log(5, 4, 3)), log(8, 7, 6, 5, 4, 3))
    expect(ids(step.fresh)).toEqual([6, 7, 8])
    expect(step.restarted).toBe(false)
    expect(step.cursor.id).toBe(8)
  })

  it('returns nothing twice', () => {
    let cursor: Cursor = baseline(log(2, 1))
    const seen: number[] = []
    for (const poll of [log(3, 2, 1), log(3, 2, 1), log(5, 4, 3, 2), log(5, 4, 3, 2), log(6, 5)]) {
      const step = advance(cursor, poll)
      cursor = step.cursor
      seen.push(...ids(step.fresh))
    }
    expect(seen).toEqual([3, 4, 5, 6])
  })

  it('keeps the cursor while the log is empty (after SLOWLOG RESET)', () => {
    const cursor = baseline(log(9, 8))
    const step = advance(cursor, [])
    expect(step).toEqual({cursor, fresh: [], restarted: false})
  })

  it('after SLOWLOG RESET, ids keep counting: new entries are taken, not repeated', () => {
    const cursor = baseline(log(9, 8))
    const step = advance(cursor, log(11, 10))
    expect(ids(step.fresh)).toEqual([10, 11])
    expect(step.restarted).toBe(false)
  })

  it('takes everything when the log rolled over past the cursor', () => {
    const step = advance(baseline(log(3)), log(200, 199, 198))
    expect(ids(step.fresh)).toEqual([198, 199, 200])
    expect(step.restarted).toBe(false)
  })

  it('detects a restart when the newest id is below the cursor', () => {
    const step = advance(baseline(log(50, 49)), log(2, 1, 0))
    expect(step.restarted).toBe(true)
    expect(ids(step.fresh)).toEqual([0, 1, 2])
    expect(step.cursor.id).toBe(2)
  })

  it('detects a restart when the cursor id now names another entry', () => {
    const cursor = baseline(log([3, 1000], [2, 999]))
    const step = advance(cursor, log([5, 2000], [4, 2000], [3, 2000], [2, 2000]))
    expect(step.restarted).toBe(true)
    expect(ids(step.fresh)).toEqual([2, 3, 4, 5])
  })

  it('detects a restart when the cursor id is missing from a contiguous log', () => {
    const step = advance(baseline(log(5)), [
      {id: 7, timestamp: 1, durationUs: 1},
      {id: 4, timestamp: 1, durationUs: 1},
    ])
    expect(step.restarted).toBe(true)
  })

  it('an empty baseline takes every later entry', () => {
    const step = advance(baseline([]), log(1, 0))
    expect(ids(step.fresh)).toEqual([0, 1])
    expect(step.restarted).toBe(false)
  })

  it('accepts entries in any order', () => {
    const step = advance(baseline(log(1)), log(2, 4, 3, 1))
    expect(ids(step.fresh)).toEqual([2, 3, 4])
  })
})
