import {randomBytes} from 'node:crypto'

import {connectionError, failureKind, isReplyError} from '../redis/failures.js'
import {sampleHashFields, scanKeys} from '../redis/scan.js'
import type {Target} from '../redis/target.js'
import {RcdiagError, authError, refusedError, usageError} from '../shared/errors.js'
import {onOwners, readSlotMap, SkippedError, type KeyOutcome} from '../redis/key-routing.js'

export interface Keyspace {
  keys: string[]
  fields: string[]
  /** rcdiag created these keys and must remove them */
  owned: boolean
  /** created keys: the random token of this run, and the exact prefix of every key it creates */
  runId?: string
  prefix?: string
}

/** How the removal of this run's keys went: `remaining` is null when it could not be checked. */
export interface CleanupResult {
  remaining: number | null
  error?: string
}

/** 8 hex characters: two replays (even with the same --prefix) never share a key. */
export const newRunId = (): string => randomBytes(4).toString('hex')

/** The keys a run will create: `${prefix}${runId}:${i}`, fields f0..fN-1. Pure; nothing is written. */
export function planKeyspace(prefix: string, count: number, fieldCount: number, runId = newRunId()): Keyspace {
  const runPrefix = `${prefix}${runId}:`
  return {
    keys: Array.from({length: count}, (_, i) => `${runPrefix}${i}`),
    fields: Array.from({length: fieldCount}, (_, i) => `f${i}`),
    owned: true,
    runId,
    prefix: runPrefix,
  }
}

/** Refuses (usage error) when any planned key already exists: rcdiag never overwrites a key. Writes nothing. */
export async function ensureKeysFree(
  target: Target,
  slots: Array<string | undefined>,
  keyspace: Keyspace,
  signal?: AbortSignal,
): Promise<void> {
  const outcomes = await onOwners(target, slots, keyspace.keys, 1, (pipeline, key) => pipeline.exists(key), signal)
  const failed = outcomes.find((o) => o.error && !(o.error instanceof SkippedError))
  if (failed) throw writeFailure('checking the replay keys', failed)
  const taken = outcomes.filter((o) => Number(o.replies?.[0] ?? 0) > 0)
  if (taken.length > 0) {
    throw usageError(
      `${taken.length} key(s) under ${keyspace.prefix} already exist (e.g. ${taken[0].key}); rcdiag never overwrites keys: choose another --prefix`,
    )
  }
}

/**
 * Creates the planned hashes, each with a TTL. Stops between batches on abort (the caller removes
 * what was written). Any refusal becomes a one-line RcdiagError: UNREACHABLE for a node that cannot
 * be reached, AUTH for an ACL refusal, exit 1 for Redis refusing the write (OOM, READONLY, ...).
 */
export async function writeKeys(
  target: Target,
  slots: Array<string | undefined>,
  keyspace: Keyspace,
  ttlSec: number,
  signal?: AbortSignal,
): Promise<void> {
  const value = 'x'.repeat(32)
  const pairs = keyspace.fields.flatMap((field) => [field, value])
  const outcomes = await onOwners(
    target,
    slots,
    keyspace.keys,
    2,
    (pipeline, key) => pipeline.hset(key, ...pairs).expire(key, ttlSec),
    signal,
  )
  const failed = outcomes.find((o) => o.error && !(o.error instanceof SkippedError))
  if (failed) throw writeFailure('creating the replay keys', failed)
}

/**
 * Removes this run's keys (and nothing else) and counts how many still exist. Routes by the slot map
 * as it is now (re-read from any reachable node: a master may have failed over during the replay),
 * follows MOVED, and retries keys whose node failed twice more after a pause (a failover takes a
 * moment). Never throws: what could not be removed or checked makes `remaining` null, with the reason.
 */
export async function removeKeys(
  target: Target,
  nodes: string[],
  slots: Array<string | undefined>,
  keyspace: Keyspace,
  /** performance.now() past which no retry starts (--duration); the first attempt always runs */
  deadline?: number,
): Promise<CleanupResult> {
  if (!keyspace.owned || keyspace.keys.length === 0) return {remaining: 0}
  let pending = keyspace.keys
  let remaining = 0
  let reason = ''
  try {
    for (const pauseMs of [0, 1000, 2000]) {
      // a retry (its pause, then at most one connect and one reply per node) must end by the deadline
      const attemptMs = pauseMs + target.connectTimeoutMs + 2 * target.commandTimeoutMs
      if (pauseMs > 0 && deadline !== undefined && performance.now() + attemptMs > deadline) break
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs))
      const current = (await readSlotMap(target, nodes)) ?? slots
      const outcomes = await onOwners(target, current, pending, 2, (pipeline, key) => pipeline.unlink(key).exists(key))
      pending = []
      for (const outcome of outcomes) {
        const left = Number(outcome.replies?.[1])
        if (outcome.error || !Number.isInteger(left)) {
          pending.push(outcome.key)
          reason = describe(outcome)
        } else {
          remaining += left
        }
      }
      if (pending.length === 0) return {remaining}
    }
  } catch (error) {
    return {remaining: null, error: `cleanup failed: ${oneLine(String((error as Error)?.message ?? error))}`}
  }
  return {
    remaining: null,
    error: `${pending.length} of ${keyspace.keys.length} keys could not be removed or checked (${reason}); they expire with their TTL`,
  }
}

/** Samples existing hashes with SCAN on every master, read-only; fields from HRANDFIELD. */
export async function sampleKeys(target: Target, masters: string[], pattern: string, count: number, fieldCount: number): Promise<Keyspace> {
  const perMaster = Math.ceil(count / Math.max(1, masters.length))
  const keys = (await scanKeys(target, masters, pattern, perMaster, 'hash')).flat().slice(0, count)
  if (keys.length === 0) throw usageError(`--keys-from ${pattern}: no hash matches on any master`)
  const fields = await sampleHashFields(target, masters, keys[0], fieldCount)
  return {keys, fields: fields.length > 0 ? fields : Array.from({length: fieldCount}, (_, i) => `f${i}`), owned: false}
}

/** A failed key write or check as a one-line error with the right exit code. */
export function writeFailure(doing: string, outcome: KeyOutcome): RcdiagError {
  const node = outcome.node ?? 'the cluster'
  const error = outcome.error
  if (error instanceof RcdiagError) return new RcdiagError(error.code, `${doing}: ${error.message}`)
  const message = oneLine(String(error?.message ?? error))
  if (isReplyError(error)) {
    if (failureKind(error) === 'permission') return authError(`${doing}: ${node}: permission denied: ${message}`)
    // The server answered and refused the write (BUSY, OOM, READONLY, CLUSTERDOWN, ...): neither a
    // connection problem nor rcdiag's; said plainly, exit 3.
    return refusedError(`${doing}: the server ${node} refused: ${message}`, error)
  }
  const cause = connectionError(node, error)
  return new RcdiagError(cause.code, `${doing}: ${cause.message}`)
}

function describe(outcome: KeyOutcome): string {
  const message = oneLine(String(outcome.error?.message ?? 'no EXISTS reply'))
  return outcome.node && !message.includes(outcome.node) ? `${outcome.node}: ${message}` : message
}

const oneLine = (text: string) => text.split('\n')[0].slice(0, 300)
