import {describe, expect, it} from 'vitest'

import {isReplyError} from '../../../src/lib/redis/connection.js'
import {isOwnEntry, toTimeline} from '../../../src/lib/redis/slowlog.js'
import {fixtureJson} from '../parse/fixtures.js'

const NODE = '127.0.0.1:7000'

describe('toTimeline (real SLOWLOG GET reply from callBuffer, Redis 7.0.15)', () => {
  const entries = toTimeline(fixtureJson('slowlog-get-buffers.json'), NODE)
  const byId = (id: number) => entries.find((e) => e.id === id)!

  it('reads every entry with node, time, command and pattern', () => {
    expect(entries).toHaveLength(28)
    expect(entries[0]).toEqual({
      node: NODE,
      id: 30,
      timestamp: 1795898614,
      time: new Date(1795898614 * 1000).toISOString(),
      durationUs: 16,
      command: 'SLOWLOG GET',
      pattern: 'SLOWLOG GET {n}',
      args: ['slowlog', 'GET', '128'],
      clientAddr: '127.0.0.1:49330',
      clientName: '',
    })
    expect(byId(12)).toMatchObject({command: 'HMGET', pattern: 'HMGET {t{n}}:user:{n} name email missing', clientName: 'rcdiag-probe'})
  })

  it('keeps invalid UTF-8 bytes of keys, escaped', () => {
    const bin = byId(18)
    expect(bin.args[1]).toMatch(/^\{t2\}:bin:(\\x[0-9a-f]{2})+\\x00\\x[0-9a-f]{2}\($/)
    expect(bin.args[1]).not.toContain('\uFFFD')
    expect(bin.pattern.startsWith('SET {t{n}}:bin:')).toBe(true)
  })

  it('escapes control characters in keys', () => {
    expect(byId(17).args[1]).toBe('{t2}:ctl\\x01\\t\\r\\nkey')
  })

  it('shows Redis truncation of long args as sent', () => {
    expect(byId(19).args[2]).toBe(`${'x'.repeat(128)}... (72 more bytes)`)
  })

  it('also accepts string replies', () => {
    expect(toTimeline([[1, 1700000000, 15, ['get', 'k\n'], '1.2.3.4:5', 'app']], NODE)[0]).toMatchObject({
      args: ['get', 'k\\n'],
      clientAddr: '1.2.3.4:5',
      clientName: 'app',
    })
    expect(toTimeline([[1, 1700000000, 15, ['get', 'k']]], NODE)[0]).toMatchObject({clientAddr: '', clientName: ''})
  })
})

describe('helpers', () => {
  it('recognises rcdiag its own entries', () => {
    const [own] = toTimeline([[1, 1, 1, ['slowlog', 'get', '-1'], '1.2.3.4:5', 'rcdiag']], NODE)
    expect(isOwnEntry(own)).toBe(true)
  })

  it('tells refusals from dead connections', () => {
    expect(isReplyError(Object.assign(new Error("NOPERM User x has no permissions to run the 'slowlog|get' command"), {name: 'ReplyError'}))).toBe(true)
    expect(isReplyError(new Error("ERR unknown command 'SLOWLOG'"))).toBe(true)
    expect(isReplyError(new Error('Connection is closed.'))).toBe(false)
  })
})
