import type {ChainableCommander} from 'ioredis'

import {withDeadline} from '../shared/deadline.js'
import {fanOut} from './fan-out.js'
import {closeConnection, openConnection} from './connection.js'
import {targetFor, type Target} from './target.js'
import {parseClusterSlots} from '../parse/cluster-slots.js'
import {parseRedirect, slotOf, slotTableFrom} from './slot-table.js'

/** What happened to one key: its replies, or why it failed (and on which node). */
export interface KeyOutcome {
  key: string
  node?: string
  replies?: unknown[]
  error?: Error
}

/** A key not sent because the run was aborted between batches. */
export class SkippedError extends Error {
  constructor() {
    super('skipped: interrupted')
    this.name = 'SkippedError'
  }
}

const BATCH = 500
const MAX_HOPS = 3

/** Groups keys by owner, in one pass (each key appended to its owner's list). */
export function groupByOwner(
  keys: string[],
  ownerOf: (key: string) => string | undefined,
): {groups: Map<string, string[]>; unowned: string[]} {
  const groups = new Map<string, string[]>()
  const unowned: string[] = []
  for (const key of keys) {
    const owner = ownerOf(key)
    if (!owner) {
      unowned.push(key)
      continue
    }
    const group = groups.get(owner)
    if (group) group.push(key)
    else groups.set(owner, [key])
  }
  return {groups, unowned}
}

/**
 * Sends `perKey` commands (added by `add`) for every key to the master that owns its slot: pipelined
 * in batches, one connection per owner, owners in parallel and settled independently (a node that
 * refuses fails only its own keys). A MOVED sends that key on to the node it names (the sender's host
 * when the reply has none), up to MAX_HOPS times. Never rejects: every key gets an outcome.
 */
export async function onOwners(
  target: Target,
  slots: Array<string | undefined>,
  keys: string[],
  perKey: number,
  add: (pipeline: ChainableCommander, key: string) => void,
  signal?: AbortSignal,
): Promise<KeyOutcome[]> {
  const outcomes: KeyOutcome[] = []
  const redirected = new Map<string, string>()
  let pending = keys
  for (let hop = 0; pending.length > 0; hop++) {
    const {groups, unowned} = groupByOwner(pending, (key) => redirected.get(key) ?? slots[slotOf(key)])
    for (const key of unowned) outcomes.push({key, error: new Error(`slot ${slotOf(key)} has no owner in the slot map`)})
    const entries = [...groups]
    const settled = await fanOut(entries, ([address, own]) => settle(onOwner(target, address, own, perKey, add, signal)))
    pending = []
    settled.forEach((result, index) => {
      const [address, own] = entries[index]
      if (result.status === 'rejected') {
        const error = result.reason instanceof Error ? result.reason : new Error(String(result.reason))
        for (const key of own) outcomes.push({key, node: address, error})
        return
      }
      for (const outcome of result.value) {
        const redirect = outcome.error ? parseRedirect(outcome.error.message, address) : undefined
        if (redirect?.kind === 'MOVED' && hop < MAX_HOPS) {
          redirected.set(outcome.key, redirect.address)
          pending.push(outcome.key)
        } else {
          outcomes.push(outcome)
        }
      }
    })
  }
  return outcomes
}

async function onOwner(
  target: Target,
  address: string,
  keys: string[],
  perKey: number,
  add: (pipeline: ChainableCommander, key: string) => void,
  signal?: AbortSignal,
): Promise<KeyOutcome[]> {
  const redis = await openConnection(targetFor(target, address))
  const budget = 2 * target.commandTimeoutMs
  const out: KeyOutcome[] = []
  try {
    for (let i = 0; i < keys.length; i += BATCH) {
      const batch = keys.slice(i, i + BATCH)
      if (signal?.aborted) {
        for (const key of keys.slice(i)) out.push({key, node: address, error: new SkippedError()})
        break
      }
      const pipeline = redis.pipeline()
      for (const key of batch) add(pipeline, key)
      let results: Array<[Error | null, unknown]>
      try {
        const replies = await withDeadline(pipeline.exec(), budget, `no reply within ${budget} ms`)
        results = replies ?? []
      } catch (error) {
        // This batch is unknown, and a node that did not answer it will not answer the next one in
        // time: the rest of its keys get the same error at once instead of one budget per batch.
        for (const key of keys.slice(i)) out.push({key, node: address, error: error as Error})
        break
      }
      batch.forEach((key, j) => {
        const replies = results.slice(j * perKey, (j + 1) * perKey)
        const failed = replies.length < perKey ? new Error('missing reply') : replies.find(([error]) => error)?.[0]
        out.push(failed ? {key, node: address, error: failed} : {key, node: address, replies: replies.map(([, reply]) => reply)})
      })
    }
  } finally {
    closeConnection(redis)
  }
  return out
}

/** The slot map as the first reachable node tells it now (nodes in the given order), or undefined. */
export async function readSlotMap(target: Target, nodes: string[]): Promise<Array<string | undefined> | undefined> {
  // Every node at once, the first good answer wins: a silent node costs no more than one
  // connect-and-reply budget in all, instead of one each before the next node is asked.
  const attempt = async (address: string): Promise<Array<string | undefined>> => {
    const redis = await openConnection(targetFor(target, address))
    try {
      const table = slotTableFrom(parseClusterSlots(await redis.call('CLUSTER', 'SLOTS')))
      if (!table.some(Boolean)) throw new Error('empty slot map')
      return table
    } finally {
      closeConnection(redis)
    }
  }
  try {
    return await Promise.any(nodes.map(attempt))
  } catch {
    // refused, timed out or not a cluster node any more, everywhere
    return undefined
  }
}

/** A promise as its settled outcome (what Promise.allSettled gives), for a bounded fan-out that never rejects. */
function settle<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return promise.then(
    (value) => ({status: 'fulfilled', value}),
    (reason: unknown) => ({status: 'rejected', reason}),
  )
}
