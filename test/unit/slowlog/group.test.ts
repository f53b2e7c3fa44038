import {describe, expect, it} from 'vitest'

import {groupEntries, groupKey, histogram} from '../../../src/lib/slowlog/group.js'
import {entry} from './entries.js'

const A = '127.0.0.1:7000'
const B = '127.0.0.1:7001'

const entries = [
  entry({node: A, id: 1, timestamp: 100, durationUs: 5_000, args: ['hmget', 'user:1:profile', 'name']}),
  entry({node: B, id: 7, timestamp: 160, durationUs: 15_000, args: ['hmget', 'user:2:profile', 'name']}),
  entry({node: A, id: 2, timestamp: 130, durationUs: 10_000, args: ['HMGET', 'user:3:profile', 'name'], clientName: 'api'}),
  entry({node: B, id: 8, timestamp: 120, durationUs: 200_000, args: ['keys', '*'], clientAddr: '10.0.0.9:4000'}),
  entry({node: A, id: 3, timestamp: 110, durationUs: 900, args: ['set', 'user:1:profile', 'secret']}),
]

describe('groupEntries', () => {
  it('groups by pattern with count, total, p50, max, first/last seen and nodes', () => {
    const groups = groupEntries(entries, 'pattern')
    expect(groups.map((g) => g.key)).toEqual(['KEYS *', 'HMGET user:{n}:profile name', 'SET user:{n}:profile …'])
    expect(groups[1]).toEqual({
      key: 'HMGET user:{n}:profile name',
      count: 3,
      totalUs: 30_000,
      p50Us: 10_000,
      maxUs: 15_000,
      firstSeen: new Date(100_000).toISOString(),
      lastSeen: new Date(160_000).toISOString(),
      nodes: [A, B],
    })
  })

  it('groups by command, node and client', () => {
    expect(groupEntries(entries, 'command').map((g) => [g.key, g.count])).toEqual([
      ['KEYS', 1],
      ['HMGET', 3],
      ['SET', 1],
    ])
    expect(groupEntries(entries, 'node').map((g) => [g.key, g.totalUs])).toEqual([
      [B, 215_000],
      [A, 15_900],
    ])
    expect(groupEntries(entries, 'client').map((g) => g.key)).toEqual(['10.0.0.9', '10.0.0.5', 'api'])
  })

  it('orders ties by count, then key', () => {
    const tie = [
      entry({args: ['get', 'b'], durationUs: 10}),
      entry({args: ['get', 'a'], durationUs: 10}),
      entry({args: ['ttl', 'x'], durationUs: 5}),
      entry({args: ['ttl', 'y'], durationUs: 5}),
    ]
    expect(groupEntries(tie, 'pattern').map((g) => g.key)).toEqual(['GET a', 'GET b', 'TTL x', 'TTL y'])
    expect(groupEntries(tie, 'command').map((g) => g.key)).toEqual(['GET', 'TTL'])
    expect(groupEntries([], 'pattern')).toEqual([])
  })

  it('a client is its name, else its IP', () => {
    expect(groupKey(entry({clientName: 'worker', clientAddr: '1.2.3.4:5'}), 'client')).toBe('worker')
    expect(groupKey(entry({clientAddr: '[::1]:6000'}), 'client')).toBe('[::1]')
    expect(groupKey(entry({clientAddr: ''}), 'client')).toBe('(unknown)')
  })
})

describe('histogram', () => {
  it('counts entries per duration bucket, bounds inclusive below', () => {
    const durations = [0, 999, 1_000, 9_999, 10_000, 100_000, 999_999, 1_000_000, 5_000_000]
    const buckets = histogram(durations.map((durationUs) => entry({durationUs})))
    expect(buckets).toEqual([
      {label: '<1ms', minUs: 0, maxUs: 1_000, count: 2},
      {label: '1-10ms', minUs: 1_000, maxUs: 10_000, count: 2},
      {label: '10-100ms', minUs: 10_000, maxUs: 100_000, count: 1},
      {label: '100ms-1s', minUs: 100_000, maxUs: 1_000_000, count: 2},
      {label: '>1s', minUs: 1_000_000, maxUs: null, count: 2},
    ])
  })
})
