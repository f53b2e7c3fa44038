import {describe, expect, it} from 'vitest'
import {infoNumber, parseCommandstats, parseErrorstats, parseInfo, parseLatencystats} from '../../../src/lib/parse/index.js'
import {fixtureText} from './fixtures.js'

const info = parseInfo(fixtureText('info-all.txt'))

describe('parseInfo (real INFO ALL from 7.0.15)', () => {
  it('lower-cases section names and strips \\r', () => {
    expect(Object.keys(info)).toEqual(
      expect.arrayContaining([
        'server',
        'clients',
        'memory',
        'stats',
        'replication',
        'commandstats',
        'errorstats',
        'latencystats',
        'cluster',
        'keyspace',
      ]),
    )
    expect(info.server.redis_version).toBe('7.0.15')
    expect(info.replication.role).toBe('master')
    expect(Object.values(info.server).some((v) => v.includes('\r'))).toBe(false)
  })

  it('keeps values containing colons and empty values', () => {
    expect(info.server.executable).toMatch(/^\/.*redis-server$/)
    expect(info.server.config_file).toBe('')
    expect(info.keyspace.db0).toBe('keys=5,expires=0,avg_ttl=0')
  })

  it('includes the empty Modules section of the default INFO too', () => {
    const defaults = parseInfo(fixtureText('info-default.txt'))
    expect(defaults.modules).toEqual({})
    expect(defaults.commandstats).toBeUndefined()
  })

  it('parses commandstats', () => {
    const stats = parseCommandstats(info.commandstats)
    expect(stats.hmget).toEqual({calls: 5, usec: 282, usecPerCall: 56.4, rejectedCalls: 0, failedCalls: 0})
    // MOVED is counted as a rejected call, not a call.
    expect(stats.get).toEqual({calls: 0, usec: 0, usecPerCall: 0, rejectedCalls: 2, failedCalls: 0})
    expect(stats.lpush.failedCalls).toBe(1) // WRONGTYPE
    expect(stats['client|setname'].calls).toBe(3)
    expect(stats['cluster|setslot'].calls).toBe(1)
    expect(stats.debug.usec).toBe(50158)
  })

  it('parses errorstats', () => {
    // ERR 7 = one unknown command + 6 rejected "CLIENT SETINFO" sent by ioredis 6 to a 7.0 server.
    expect(parseErrorstats(info.errorstats)).toEqual({ERR: 7, MOVED: 2, WRONGTYPE: 1})
  })

  it('parses latencystats percentiles (µs), p99.9 as p999', () => {
    const lat = parseLatencystats(info.latencystats)
    expect(lat.hmget).toEqual({p50: 1.003, p99: 278.527, p999: 278.527})
    expect(lat['config|resetstat'].p50).toBe(618.495)
    expect(Object.keys(lat)).toHaveLength(11)
  })

  it('infoNumber reads numbers and rejects the rest', () => {
    expect(infoNumber(info, 'Clients', 'connected_clients')).toBe(5)
    expect(infoNumber(info, 'memory', 'used_memory')).toBe(2090184)
    expect(infoNumber(info, 'memory', 'mem_fragmentation_ratio')).toBe(6.62)
    expect(infoNumber(info, 'memory', 'used_memory_human')).toBeUndefined()
    expect(infoNumber(info, 'server', 'config_file')).toBeUndefined()
    expect(infoNumber(info, 'nosuchsection', 'x')).toBeUndefined()
    expect(infoNumber(undefined, 'memory', 'used_memory')).toBeUndefined()
  })
})

describe('INFO edge cases', () => {
  it('handles \\n only, junk lines, fields before a header and missing sections', () => {
    const s = parseInfo('loose:1\njunk\n# Stats\nexpired_keys:3\n\n#   CPU  \nused_cpu_sys:0.5\n')
    expect(s).toEqual({'': {loose: '1'}, stats: {expired_keys: '3'}, cpu: {used_cpu_sys: '0.5'}})
    expect(parseInfo('')).toEqual({})
    expect(parseCommandstats(undefined)).toEqual({})
    expect(parseErrorstats({})).toEqual({})
    expect(parseLatencystats(undefined)).toEqual({})
  })

  it('tolerates Redis 6 commandstats without rejected/failed calls and odd percentiles', () => {
    expect(parseCommandstats({cmdstat_get: 'calls=2,usec=4,usec_per_call=2.00', other: 'x'})).toEqual({
      get: {calls: 2, usec: 4, usecPerCall: 2, rejectedCalls: 0, failedCalls: 0},
    })
    expect(parseLatencystats({latency_percentiles_usec_get: 'p50=1.0,p99.99=9.5,p75=bad'})).toEqual({get: {p50: 1, p9999: 9.5}})
  })

  it('throws a clear error on a non-string reply', () => {
    expect(() => parseInfo(undefined as unknown as string)).toThrow(/^INFO reply: expected text, got undefined$/)
    expect(parseInfo(Buffer.from('# Server\r\nrole:master\r\n') as unknown as string)).toEqual({server: {role: 'master'}})
  })
})
