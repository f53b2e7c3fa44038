import {describe, expect, it} from 'vitest'
import {parseClusterSlots} from '../../../src/lib/parse/index.js'
import {fixtureJson} from './fixtures.js'

describe('parseClusterSlots (real CLUSTER SLOTS from 7.0.15)', () => {
  it('reads ranges, masters, replicas and the hostname metadata', () => {
    const slots = parseClusterSlots(fixtureJson('cluster-slots.json'))
    expect(slots).toHaveLength(3)
    expect(slots[0]).toEqual({
      start: 0,
      end: 5460,
      master: {host: '127.0.0.1', port: 17140, id: '365188f03f378a848e41b0af81fe544e3f8ba36a'},
      replicas: [{host: '127.0.0.1', port: 17144, id: 'a885142c9a4164733335c09ae43d8a905007619d'}],
    })
    expect(slots[1].master).toMatchObject({port: 17141, hostname: 'node-b.rcdiag.test'})
  })

  it('omits replicas that are not ready or failed, as 7.0 does', () => {
    expect(parseClusterSlots(fixtureJson('cluster-slots-fresh.json')).every((s) => s.replicas.length === 0)).toBe(true)
    const failed = parseClusterSlots(fixtureJson('cluster-slots-failed-replica.json'))
    expect(failed.map((s) => s.replicas.length)).toEqual([0, 1, 1])
  })
})

describe('CLUSTER SLOTS edge cases', () => {
  it('accepts pre-7 (no metadata) and pre-4 (no id) nodes', () => {
    expect(parseClusterSlots([[0, 1, ['10.0.0.1', 6379], ['10.0.0.2', '6380', 'r1']]])).toEqual([
      {start: 0, end: 1, master: {host: '10.0.0.1', port: 6379}, replicas: [{host: '10.0.0.2', port: 6380, id: 'r1'}]},
    ])
    expect(parseClusterSlots([])).toEqual([])
  })

  it('throws clear errors', () => {
    expect(() => parseClusterSlots('x')).toThrow(/^CLUSTER SLOTS reply: expected the reply to be an array, got the string "x"$/)
    expect(() => parseClusterSlots([[0, 1]])).toThrow('CLUSTER SLOTS reply: entry 0 has 2 items, expected at least 3')
    expect(() => parseClusterSlots([[0, 1, ['h']]])).toThrow('CLUSTER SLOTS reply: entry 0 master has 1 items, expected at least 2')
    expect(() => parseClusterSlots([[0, 1, ['h', 1, 'id', ['hostname']]]])).toThrow(/odd length of 1/)
  })
})
