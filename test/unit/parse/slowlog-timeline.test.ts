import {describe, expect, it} from 'vitest'

import {isInternalEntry, isOwnEntry, isReplicationEntry, parseSlowlogTimeline as toTimeline} from '../../../src/lib/parse/slowlog.js'
import {fixtureJson} from './fixtures.js'

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
  it('recognises rcdiag its own entries and replication traffic: the internal entries probe and slowlog leave out', () => {
    const [own, replconf, psync, app] = toTimeline(
      [
        [4, 1, 1, ['slowlog', 'get', '-1'], '1.2.3.4:5', 'rcdiag'],
        [3, 1, 1, ['REPLCONF', 'ACK', '513'], '1.2.3.4:6', ''],
        [2, 1, 1, ['psync', '?', '-1'], '1.2.3.4:7', ''],
        [1, 1, 1, ['hgetall', 'user:1'], '1.2.3.4:8', 'app'],
      ],
      NODE,
    )
    expect([own, replconf, psync, app].map(isOwnEntry)).toEqual([true, false, false, false])
    expect([own, replconf, psync, app].map(isReplicationEntry)).toEqual([false, true, true, false])
    expect([own, replconf, psync, app].map(isInternalEntry)).toEqual([true, true, true, false])
  })

  it("rcdiag's own traffic: any rcdiag-named connection, and replay's keys as replicated to a replica", () => {
    const [replayWorker, refresh, replicated, expireReplicated, userKey] = toTimeline(
      [
        [5, 1, 1, ['hmget', 'rcdiag:replay:1a2b3c4d:7', 'f0'], '1.2.3.4:5', 'rcdiag-replay-single-flight'],
        [4, 1, 1, ['cluster', 'slots'], '1.2.3.4:6', 'rcdiag-replay-refresh-on-error:refresh'],
        [3, 1, 1, ['HSET', 'rcdiag:replay:1a2b3c4d:7', 'f0', 'x'], '1.2.3.4:7000', ''],
        [2, 1, 1, ['PEXPIREAT', 'rcdiag:replay:1a2b3c4d:7', '1700000000000'], '1.2.3.4:7000', ''],
        [1, 1, 1, ['HSET', 'user:rcdiag:replay:1', 'f0', 'x'], '1.2.3.4:8', 'rcdiagnostics'],
      ],
      NODE,
    )
    expect([replayWorker, refresh, replicated, expireReplicated].map(isOwnEntry)).toEqual([true, true, true, true])
    // a name that merely starts with "rcdiag" and a key that merely contains the prefix are the user's
    expect(isOwnEntry(userKey)).toBe(false)
  })

  it('the real capture: REPLCONF from the replica is internal', () => {
    const internal = toTimeline(fixtureJson('slowlog-get-buffers.json'), NODE).filter(isInternalEntry)
    expect(internal.map((e) => e.command)).toContain('REPLCONF')
  })
})
