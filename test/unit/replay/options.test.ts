import {describe, expect, it} from 'vitest'

import {burstBoundSec, replayInputFromFlags, resolveReplaySettings, SETTING_FLAGS} from '../../../src/lib/replay/options.js'

describe('resolveReplaySettings', () => {
  it('fills the documented defaults', () => {
    const s = resolveReplaySettings({})
    expect(s).toMatchObject({
      concurrency: 20,
      fields: 5,
      keys: 1000,
      prefix: 'rcdiag:replay:',
      idleMs: 350_000,
      cycles: 3,
      steadyBursts: 3,
      burst: 50,
      rate: 0,
      clients: ['ioredis'],
      cleanup: true,
    })
    // the TTL outlives the whole schedule of every model, plus a margin
    expect(s.keyTtlSec).toBeGreaterThan(3 * 350 + 600)
  })

  it('expands all, de-duplicates, and refuses unknown models and bad numbers', () => {
    expect(resolveReplaySettings({clients: ['all', 'ioredis']}).clients).toEqual(['ioredis', 'refresh-on-error', 'single-flight'])
    expect(resolveReplaySettings({clients: ['single-flight,refresh-on-error']}).clients).toEqual(['single-flight', 'refresh-on-error'])
    expect(() => resolveReplaySettings({clients: ['jedis']})).toThrow(/unknown model/)
    expect(() => resolveReplaySettings({concurrency: 0})).toThrow(/--concurrency/)
    expect(() => resolveReplaySettings({prefix: 'a*'})).toThrow(/--prefix/)
    expect(() => resolveReplaySettings({prefix: ''})).toThrow(/--prefix/)
  })
})

describe('options: the key TTL covers a paced run', () => {
  it('a burst takes max(5 s, concurrency x burst / rate) when --rate paces it', () => {
    expect(burstBoundSec({concurrency: 20, burst: 50, rate: 0})).toBe(5)
    expect(burstBoundSec({concurrency: 20, burst: 50, rate: 1000})).toBe(5)
    expect(burstBoundSec({concurrency: 20, burst: 50, rate: 10})).toBe(100)
    const paced = resolveReplaySettings({rate: 10, idleMs: 1000, cycles: 1, steadyBursts: 1})
    // warm-up + post-idle + 1 steady burst at 100 s each, plus the gap, plus the margin
    expect(paced.keyTtlSec).toBeGreaterThanOrEqual(3 * 100 + 1 + 600)
  })
})

describe('replayInputFromFlags', () => {
  it('names only flags the replay command has, and maps them onto settings', async () => {
    const {default: Replay} = await import('../../../src/commands/replay.js')
    for (const flag of Object.values(SETTING_FLAGS)) expect(Object.keys(Replay.flags), flag).toContain(flag)
    const input = replayInputFromFlags({
      idle: 6000,
      'keys-from': 'user:*',
      'steady-bursts': 2,
      client: ['single-flight'],
      cleanup: false,
      url: 'x',
    })
    expect(input).toEqual({idleMs: 6000, keysFrom: 'user:*', steadyBursts: 2, clients: ['single-flight'], cleanup: false})
    expect(resolveReplaySettings(input)).toMatchObject({
      idleMs: 6000,
      keysFrom: 'user:*',
      steadyBursts: 2,
      clients: ['single-flight'],
      cleanup: false,
    })
  })
})
