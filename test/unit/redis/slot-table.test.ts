import {describe, expect, it} from 'vitest'

import {parseRedirect, slotOf, slotTableFrom} from '../../../src/lib/redis/slot-table.js'

describe('slot table and redirects', () => {
  it('hashes like Redis, hash tags included', () => {
    expect(slotOf('foo')).toBe(12182)
    expect(slotOf('{user1000}.following')).toBe(slotOf('{user1000}.followers'))
  })

  it('reads MOVED and ASK', () => {
    expect(parseRedirect('MOVED 3999 127.0.0.1:6381')).toEqual({kind: 'MOVED', slot: 3999, address: '127.0.0.1:6381'})
    expect(parseRedirect('ASK 1 10.0.0.1:7000')).toEqual({kind: 'ASK', slot: 1, address: '10.0.0.1:7000'})
    expect(parseRedirect('ERR nope')).toBeUndefined()
    expect(parseRedirect('MOVED 99999 10.0.0.1:7000')).toBeUndefined()
  })

  it('a redirect without a host goes to the host of the node that sent it, never to 127.0.0.1', () => {
    expect(parseRedirect('MOVED 3999 :6381', '10.0.0.9:7000')).toEqual({kind: 'MOVED', slot: 3999, address: '10.0.0.9:6381'})
    expect(parseRedirect('ASK 3999 :6381', '[fe80::1]:7000')).toEqual({kind: 'ASK', slot: 3999, address: '[fe80::1]:6381'})
    expect(parseRedirect('MOVED 3999 :6381')).toBeUndefined()
  })

  it('maps every slot of a CLUSTER SLOTS reply to its master', () => {
    const table = slotTableFrom([{start: 0, end: 9, master: {host: '127.0.0.1', port: 1}, replicas: []}])
    expect(table[0]).toBe('127.0.0.1:1')
    expect(table[9]).toBe('127.0.0.1:1')
    expect(table[10]).toBeUndefined()
  })
})
