import {describe, expect, it} from 'vitest'

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
