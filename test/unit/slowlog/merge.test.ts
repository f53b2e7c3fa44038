import {describe, expect, it} from 'vitest'

import {applyFilters, mergeTimeline} from '../../../src/lib/slowlog/merge.js'
import {entry} from './entries.js'

const A = '127.0.0.1:7000'
const B = '127.0.0.1:7001'
const C = '127.0.0.1:7002'

describe('mergeTimeline', () => {
  it('merges every node into one timeline, newest first', () => {
    const a = [entry({node: A, id: 3, timestamp: 300}), entry({node: A, id: 2, timestamp: 200}), entry({node: A, id: 1, timestamp: 100})]
    const b = [entry({node: B, id: 9, timestamp: 250}), entry({node: B, id: 8, timestamp: 50})]
    const c = [entry({node: C, id: 1, timestamp: 400})]
    expect(mergeTimeline([a, b, c, []]).map((e) => `${e.node}#${e.id}`)).toEqual([
      `${C}#1`,
      `${A}#3`,
      `${B}#9`,
      `${A}#2`,
      `${A}#1`,
      `${B}#8`,
    ])
  })

  it('orders entries of the same second by node, then newest id first', () => {
    const merged = mergeTimeline([
      [entry({node: B, id: 5, timestamp: 10}), entry({node: B, id: 4, timestamp: 10})],
      [entry({node: A, id: 2, timestamp: 10})],
    ])
    expect(merged.map((e) => `${e.node}#${e.id}`)).toEqual([`${A}#2`, `${B}#5`, `${B}#4`])
  })
})

describe('applyFilters', () => {
  const now = 1_000_000 * 1000
  const entries = [
    entry({id: 1, timestamp: 1_000_000 - 30, durationUs: 20_000}),
    entry({id: 2, timestamp: 1_000_000 - 600, durationUs: 4_999}),
    entry({id: 3, timestamp: 1_000_000 - 601, durationUs: 50_000}),
  ]

  it('keeps everything without filters', () => {
    expect(applyFilters(entries, {sinceMs: null, minDurationUs: null}, now)).toHaveLength(3)
  })

  it('--since keeps entries from the cutoff second on', () => {
    expect(applyFilters(entries, {sinceMs: 600_000, minDurationUs: null}, now).map((e) => e.id)).toEqual([1, 2])
    expect(applyFilters(entries, {sinceMs: 60_000, minDurationUs: null}, now).map((e) => e.id)).toEqual([1])
  })

  it('--min-duration keeps entries at least that slow', () => {
    expect(applyFilters(entries, {sinceMs: null, minDurationUs: 5_000}, now).map((e) => e.id)).toEqual([1, 3])
    expect(applyFilters(entries, {sinceMs: 600_000, minDurationUs: 5_000}, now).map((e) => e.id)).toEqual([1])
  })
})
