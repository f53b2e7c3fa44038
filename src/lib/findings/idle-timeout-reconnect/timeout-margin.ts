import {THRESHOLDS as T} from './catalog.js'

/** The safety margin around a server timeout (seconds): clamp(10% of timeout, 1 s, 30 s). */
export function timeoutMarginSec(timeoutSec: number): number {
  return Math.min(T.evictionMarginMaxSec, Math.max(T.evictionMarginMinSec, Math.ceil(timeoutSec * T.evictionMarginFraction)))
}

/** Recommended pool idle eviction (seconds) for a server timeout: timeout minus a margin. */
export function poolIdleBelowTimeout(timeoutSec: number): number {
  return Math.max(0, timeoutSec - timeoutMarginSec(timeoutSec))
}

/** An idle gap (seconds) for `rcdiag replay --idle` that surely outlasts a server timeout: timeout plus the margin. */
export function idleGapAboveTimeout(timeoutSec: number): number {
  return timeoutSec + timeoutMarginSec(timeoutSec)
}
