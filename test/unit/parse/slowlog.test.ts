import {describe, expect, it} from 'vitest'
import {parseSlowlog} from '../../../src/lib/parse/index.js'
import {fixtureJson} from './fixtures.js'

describe('parseSlowlog (real SLOWLOG GET 128 from 7.0.15)', () => {
  const entries = parseSlowlog(fixtureJson('slowlog-get.json'))
  const byId = (id: number) => entries.find((e) => e.id === id)

  it('reads every entry, newest first', () => {
    expect(entries).toHaveLength(27)
    expect(entries[0]).toEqual({
      id: 29,
      timestamp: 1795898614,
      durationUs: 89,
      args: ['client', 'LIST'],
      clientAddr: '127.0.0.1:49330',
      clientName: '',
    })
    expect(entries.at(-1)?.args).toEqual(['slowlog', 'reset'])
  })

  it('reads args and client names', () => {
    expect(byId(12)).toMatchObject({
      durationUs: 278,
      args: ['hmget', '{t2}:user:1', 'name', 'email', 'missing'],
      clientName: 'rcdiag-probe',
    })
    expect(entries.filter((e) => e.args[0] === 'hmget')).toHaveLength(5)
    expect(byId(20)).toMatchObject({durationUs: 50158, args: ['debug', 'sleep', '0.05']})
    expect(byId(26)?.args).toEqual(['REPLCONF', 'ACK', '513']) // the replica's own traffic is logged too
  })

  it('keeps control characters in args', () => {
    expect(byId(17)?.args[1]).toBe('{t2}:ctl\u0001\t\r\nkey')
  })

  it('shows Redis truncation of long args as sent', () => {
    expect(byId(19)?.args[2]).toBe(`${'x'.repeat(128)}... (72 more bytes)`)
  })

  it('string replies already lost the invalid UTF-8 bytes (ioredis decoded them)', () => {
    expect(byId(18)?.args[1]).toBe('{t2}:bin:\uFFFD\uFFFD\u0000\uFFFD(')
  })
})

describe('parseSlowlog with Buffer replies (callBuffer)', () => {
  const entries = parseSlowlog(fixtureJson('slowlog-get-buffers.json'))

  it('decodes Buffer args, address and name', () => {
    expect(entries).toHaveLength(28) // one more: the first SLOWLOG GET itself
    expect(entries[0]).toMatchObject({id: 30, args: ['slowlog', 'GET', '128'], clientAddr: '127.0.0.1:49330', clientName: ''})
    expect(entries.find((e) => e.id === 12)?.clientName).toBe('rcdiag-probe')
    expect(entries.find((e) => e.id === 18)?.args[1]).toBe('{t2}:bin:\uFFFD\uFFFD\u0000\uFFFD(')
  })
})

describe('SLOWLOG edge cases', () => {
  it('accepts pre-4.0 entries without client fields and numeric strings', () => {
    expect(parseSlowlog([['1', '1700000000', '15', ['get', 'k']]])).toEqual([
      {id: 1, timestamp: 1700000000, durationUs: 15, args: ['get', 'k'], clientAddr: '', clientName: ''},
    ])
    expect(parseSlowlog([])).toEqual([])
  })

  it('throws clear errors on malformed replies', () => {
    expect(() => parseSlowlog(undefined)).toThrow('SLOWLOG GET reply: expected the reply to be an array, got undefined')
    expect(() => parseSlowlog([[1, 2]])).toThrow('SLOWLOG GET reply: entry 0 has 2 items, expected at least 4')
    expect(() => parseSlowlog([[1, 2, 3, 'get']])).toThrow(/entry 0 arguments to be an array/)
    expect(() => parseSlowlog([['x', 2, 3, []]])).toThrow(/entry 0 id is not a number/)
  })
})
