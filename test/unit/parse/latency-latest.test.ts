import {describe, expect, it} from 'vitest'
import {parseLatencyLatest} from '../../../src/lib/parse/index.js'
import {fixtureJson} from './fixtures.js'

describe('parseLatencyLatest', () => {
  it('reads the real DEBUG SLEEP 0.05 event', () => {
    expect(parseLatencyLatest(fixtureJson('latency-latest.json'))).toEqual([
      {event: 'command', timestamp: 1795898613, latestMs: 50, maxMs: 50},
    ])
  })

  it('ignores extra items, accepts an empty reply, rejects malformed ones', () => {
    expect(parseLatencyLatest([['fork', 1, 2, 3, 'extra', 9]])).toEqual([{event: 'fork', timestamp: 1, latestMs: 2, maxMs: 3}])
    expect(parseLatencyLatest([])).toEqual([])
    expect(() => parseLatencyLatest('OK')).toThrow(/^LATENCY LATEST reply: expected the reply to be an array/)
    expect(() => parseLatencyLatest([['fork', 1]])).toThrow('LATENCY LATEST reply: entry 0 has 2 items, expected at least 4')
  })
})
