import {describe, expect, it} from 'vitest'
import {configNumber, parseConfigGet} from '../../../src/lib/parse/index.js'
import {fixtureJson} from './fixtures.js'

describe('parseConfigGet (real CONFIG GET from 7.0.15)', () => {
  it('reads CONFIG GET *', () => {
    const all = parseConfigGet(fixtureJson('config-get-all.json'))
    expect(all.maxmemory).toBe('0')
    expect(all['slowlog-log-slower-than']).toBe('0') // set by the capture
    expect(all['latency-monitor-threshold']).toBe('1')
    expect(all['cluster-node-timeout']).toBe('1000')
    expect(all['cluster-enabled']).toBe('yes')
    expect(all.save).toBe('')
    expect(all['client-query-buffer-limit']).toBe('1073741824') // bytes, not "1gb"
  })

  it('reads a multi-parameter CONFIG GET (Redis 7)', () => {
    expect(parseConfigGet(fixtureJson('config-get-some.json'))).toEqual({
      'cluster-node-timeout': '1000',
      'slowlog-log-slower-than': '0',
      maxmemory: '0',
      'latency-monitor-threshold': '1',
      'client-output-buffer-limit': 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
    })
  })

  it('accepts the resp3 object mapping and rejects malformed replies', () => {
    expect(parseConfigGet({maxmemory: '100'})).toEqual({maxmemory: '100'})
    expect(parseConfigGet([])).toEqual({})
    expect(() => parseConfigGet(['maxmemory'])).toThrow('CONFIG GET reply: expected key/value pairs in the reply, got an odd length of 1')
    expect(() => parseConfigGet(null)).toThrow('CONFIG GET reply: expected the reply to be an array, got null')
  })
})

describe('configNumber', () => {
  it('reads integers and memory units like Redis does', () => {
    expect(configNumber('0')).toBe(0)
    expect(configNumber('300')).toBe(300)
    expect(configNumber('-1')).toBe(-1)
    expect(configNumber('0.5')).toBe(0.5)
    expect(configNumber('100mb')).toBe(100 * 1024 * 1024)
    expect(configNumber('100m')).toBe(100_000_000)
    expect(configNumber('1GB')).toBe(1024 ** 3)
    expect(configNumber('4k')).toBe(4000)
    expect(configNumber('4kb')).toBe(4096)
    expect(configNumber(' 512b ')).toBe(512)
  })

  it('returns undefined for everything else', () => {
    for (const v of [undefined, '', 'yes', '10%', '1.5gb', '5 apples', 'normal 0 0 0', '100tb']) expect(configNumber(v)).toBeUndefined()
  })
})
