import {Flags} from '@oclif/core'

import {errorMessage} from '../lib/shared/errors.js'
import {formatDuration, parseDurationMs} from './duration.js'

/** Longer than this overflows Node's timers (2^31 - 1 ms, about 24.8 days): nothing may ask for more. */
const TIMER_MAX_MS = 2 ** 31 - 1
export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

/** The sane range of a duration flag, in ms; out of it is a usage error, not a timer overflow or a silent 1 ms. */
export interface DurationRange {
  /** default 0 */
  min?: number
  /** default one day; never more than Node's timers hold, unless `timer` is false */
  max?: number
  /** false for a duration that never reaches a timer (a --since cutoff) */
  timer?: boolean
}

/**
 * A flag type that takes "500ms", "10s", "5m" and yields milliseconds within `range`; bad or
 * out-of-range input is a usage error. Call the result with the flag's options, as any oclif flag.
 */
export function durationFlagIn(range: DurationRange = {}) {
  const min = range.min ?? 0
  const max = range.timer === false ? (range.max ?? DAY) : Math.min(range.max ?? DAY, TIMER_MAX_MS)
  return Flags.custom<number>({
    helpValue: '<duration>',
    async parse(input) {
      let value: number
      try {
        value = parseDurationMs(input)
      } catch (error) {
        throw new Error(errorMessage(error))
      }
      if (value < min) throw new Error(`"${input}" is too short: at least ${formatDuration(min)}`)
      if (value > max) throw new Error(`"${input}" is too long: at most ${formatDuration(max)}`)
      return value
    },
  })
}

/** A duration flag from 0 to one day. */
export const durationFlag = durationFlagIn()
