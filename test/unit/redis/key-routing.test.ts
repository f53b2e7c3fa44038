import {describe, expect, it} from 'vitest'

import {groupByOwner} from '../../../src/lib/redis/key-routing.js'

describe('groupByOwner', () => {
  it('groups 100k keys by owner in one pass, every key once', () => {
    const keys = Array.from({length: 100_000}, (_, i) => `k${i}`)
    const started = performance.now()
    const {groups, unowned} = groupByOwner(keys, (key) => (key.endsWith('7') ? undefined : `node${key.length % 3}`))
    expect(performance.now() - started).toBeLessThan(1000)
    expect(unowned).toHaveLength(10_000)
    expect([...groups.values()].reduce((n, g) => n + g.length, 0)).toBe(90_000)
  })
})
