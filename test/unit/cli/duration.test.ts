import {describe, expect, it} from 'vitest'

import {DAY, durationFlag, durationFlagIn, MINUTE} from '../../../src/cli/duration-flag.js'

import {formatDuration, parseDurationMs} from '../../../src/cli/duration.js'

describe('parseDurationMs', () => {
  it('reads units', () => {
    expect(parseDurationMs('1500ms')).toBe(1500)
    expect(parseDurationMs('10s')).toBe(10_000)
    expect(parseDurationMs('350s')).toBe(350_000)
    expect(parseDurationMs('5m')).toBe(300_000)
    expect(parseDurationMs('1.5s')).toBe(1500)
    expect(parseDurationMs('2h')).toBe(7_200_000)
  })

  it('refuses bare numbers, negatives and words as usage errors', () => {
    for (const input of ['10', 'soon', '-5s', '', 's10', '10 parsecs']) {
      expect(() => parseDurationMs(input), input).toThrow(expect.objectContaining({code: 'USAGE'}))
    }
  })
})

describe('formatDuration', () => {
  it('prints what parses back to the same milliseconds', () => {
    for (const ms of [2000, 1000, 350_000, 1500, 250]) expect(parseDurationMs(formatDuration(ms))).toBe(ms)
    expect(formatDuration(2000)).toBe('2s')
    expect(formatDuration(1500)).toBe('1500ms')
  })
})

describe('duration flags have a sane range', () => {
  const parse = (flag: {parse: (input: string, ctx: never, opts: never) => Promise<number | undefined>}, input: string) =>
    flag.parse(input, {} as never, {} as never)

  it('refuses what would overflow a timer or make no sense, as a usage-level parse error naming the limit', async () => {
    const timeout = durationFlagIn({min: 1, max: 10 * MINUTE})({})
    await expect(parse(timeout, '25d')).rejects.toThrow('"25d" is too long: at most 600s')
    await expect(parse(timeout, '0ms')).rejects.toThrow('"0ms" is too short: at least 1ms')
    expect(await parse(timeout, '2s')).toBe(2000)
    // the default: at most a day
    await expect(parse(durationFlag({}), '99999999999h')).rejects.toThrow(/too long: at most 86400s/)
    // never past what Node's timers hold, whatever the flag allows
    await expect(parse(durationFlagIn({max: 400 * DAY})({}), '30d')).rejects.toThrow(/too long: at most 2147483647ms/)
  })
})
