import ms from 'ms'

import {usageError} from '../lib/shared/errors.js'

/**
 * Parses a human duration ("10s", "1500ms", "5m", "2h") into milliseconds.
 * A bare number is refused: "350" could be seconds or milliseconds, and guessing wrong
 * turns a 6-minute idle gap into a 350 ms one.
 */
export function parseDurationMs(input: string): number {
  const text = input.trim()
  if (/^\d+(\.\d+)?$/.test(text)) {
    throw usageError(`"${input}" has no unit; write e.g. ${text}s or ${text}ms`)
  }
  const value = /^\d/.test(text) ? ms(text as ms.StringValue) : undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw usageError(`"${input}" is not a duration; use e.g. 500ms, 10s, 5m`)
  }
  return Math.round(value)
}

/** Milliseconds as the shortest duration flag text that parses back to them: 2000 → "2s", 350000 → "350s". */
export function formatDuration(ms: number): string {
  if (ms % 1000 === 0) return `${ms / 1000}s`
  return `${ms}ms`
}
