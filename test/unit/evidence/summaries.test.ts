import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'

import {NEW_CONNECTION_AGE_SEC, summarizeClients} from '../../../src/lib/evidence/clients.js'
import {distribution} from '../../../src/lib/evidence/distribution.js'
import {summarizeSlowlog} from '../../../src/lib/evidence/slowlog.js'
import {parseClientList} from '../../../src/lib/parse/client-list.js'
import {parseSlowlogTimeline} from '../../../src/lib/parse/slowlog.js'
import type {ClientEntry} from '../../../src/lib/parse/types.js'

const client = (over: Partial<ClientEntry>): ClientEntry => ({
  id: 1,
  addr: '10.0.0.1:5000',
  name: '',
  age: 10,
  idle: 1,
  flags: 'N',
  db: 0,
  cmd: 'hmget',
  raw: {},
  ...over,
})

describe('distribution', () => {
  it('uses nearest-rank percentiles', () => {
    expect(distribution([])).toEqual({count: 0, p50: 0, p90: 0, max: 0})
    expect(distribution([5, 1, 3, 2, 4, 6, 7, 8, 9, 10])).toEqual({count: 10, p50: 5, p90: 9, max: 10})
  })
})

describe('summarizeClients', () => {
  it('leaves out rcdiag and replication links, and counts connections near the timeout', () => {
    const clients = [
      client({idle: 1}),
      client({idle: 160, name: 'api'}),
      client({idle: 250, name: 'api'}),
      client({idle: 299, name: 'api', addr: '10.0.0.2:1'}),
      client({idle: 999, name: 'rcdiag'}),
      client({idle: 999, flags: 'S'}),
    ]
    const s = summarizeClients(clients, 300)
    expect(s.count).toBe(4)
    expect(s.idle.max).toBe(299)
    expect(s.idleOverHalfTimeout).toBe(3)
    expect(s.idleOver80PctTimeout).toBe(2)
    expect(s.topGroups[0]).toMatchObject({host: '10.0.0.1', name: 'api', count: 2, idleMax: 250})
    expect(summarizeClients(clients, 0).idleOver80PctTimeout).toBeNull()
  })

  it('works on real CLIENT LIST output', () => {
    const text = readFileSync(new URL('../../fixtures/redis7/client-list.txt', import.meta.url), 'utf8')
    const entries = parseClientList(text)
    const s = summarizeClients(entries, 2)
    expect(s.count).toBeLessThanOrEqual(entries.length)
    expect(s.count).toBeGreaterThan(0)
  })
})

describe('summarizeSlowlog', () => {
  const entry = (args: string[], durationUs: number, clientName = '') =>
    parseSlowlogTimeline([[1, 100, durationUs, args, '', clientName]], '127.0.0.1:7000')[0]
  it('ranks commands by total time and sets replication traffic apart', () => {
    const s = summarizeSlowlog(
      [
        entry(['HGETALL', 'big'], 30_000),
        entry(['hgetall', 'big'], 20_000),
        entry(['KEYS', '*'], 40_000),
        entry(['PSYNC', 'x', '1'], 90_000),
        entry(['CLUSTER', 'slots'], 1),
      ],
      5,
    )
    expect(s.length).toBe(4)
    expect(s.internalEntries).toBe(1)
    expect(s.maxDurationUs).toBe(40_000)
    expect(s.topCommands.map((c) => c.command)).toEqual(['HGETALL', 'KEYS', 'CLUSTER SLOTS'])
  })

  it("leaves out rcdiag's own entries too, and groups by the timeline's own pattern", () => {
    const s = summarizeSlowlog([entry(['hgetall', 'user:17'], 30_000), entry(['slowlog', 'get', '128'], 9_000, 'rcdiag')], 2)
    expect(s).toMatchObject({length: 1, internalEntries: 1, read: 1, maxDurationUs: 30_000})
    expect(s.topPatterns.map((p) => p.pattern)).toEqual(['HGETALL user:{n}'])
  })
})

describe('client groups by library (CLIENT LIST of Redis 7.2.6, captured)', () => {
  const text = readFileSync(new URL('../../fixtures/servers/redis-7.2.6-client-list.txt', import.meta.url), 'utf8')
  const summary = summarizeClients(parseClientList(text), 5)

  it('groups by host, name, library and version; a client that named no library has ""', () => {
    expect(summary.topGroups.map((g) => [g.name, g.libName, g.libVer, g.count])).toEqual([
      ['app', 'ioredis', '6.0.0', 2],
      ['worker', 'redis-py', '5.0.1', 1],
      ['', '', '', 1],
    ])
    expect(summary.topGroups.every((g) => g.host === '127.0.0.1')).toBe(true)
  })

  it('counts the new connections per group (all of these were seconds old)', () => {
    expect(summary.newGroups.map((g) => [g.libName, g.newCount])).toEqual([
      ['ioredis', 2],
      ['redis-py', 1],
      ['', 1],
    ])
  })

  it('an old connection is not new', () => {
    const old = parseClientList(text).map((c) => ({...c, age: NEW_CONNECTION_AGE_SEC + 1}))
    expect(summarizeClients(old, 5).newGroups).toEqual([])
  })
})

describe("rcdiag's own connections stay out of the client summary", () => {
  it('leaves out every rcdiag-named connection (probe, replay workers, their refresh connections)', () => {
    const own = ['rcdiag', 'rcdiag-replay-ioredis', 'rcdiag-replay-refresh-on-error:refresh']
    const clients = [...own, 'app', 'rcdiagnostics'].map((name, id): ClientEntry => ({
      id,
      addr: `10.0.0.1:${1000 + id}`,
      name,
      age: 100,
      idle: 5,
      flags: 'N',
      db: 0,
      cmd: 'get',
      raw: {},
    }))
    const summary = summarizeClients(clients, 300)
    expect(summary.count).toBe(2)
    expect(summary.topGroups.map((g) => g.name).sort()).toEqual(['app', 'rcdiagnostics'])
  })
})
