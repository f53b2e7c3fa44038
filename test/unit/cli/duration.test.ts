import {describe, expect, it} from 'vitest'

import {parseDurationMs} from '../../../src/lib/cli/duration.js'

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
