import type {Redis} from 'ioredis'

import {closeConnection, openConnection} from '../connect/client.js'
import {targetFor, type Target} from '../connect/target.js'
import {usageError} from '../errors.js'
import {slotOf} from './slot-table.js'

export interface Keyspace {
  keys: string[]
  fields: string[]
  /** rcdiag created these keys and must remove them */
  owned: boolean
}

/** Groups keys by the master that owns their slot. */
function byOwner(keys: string[], slots: Array<string | undefined>): Map<string, string[]> {
  const groups = new Map<string, string[]>()
  for (const key of keys) {
    const owner = slots[slotOf(key)]
    if (!owner) continue
    groups.set(owner, [...(groups.get(owner) ?? []), key])
  }
  return groups
}

async function onEachOwner<T>(target: Target, groups: Map<string, string[]>, work: (redis: Redis, keys: string[]) => Promise<T>): Promise<T[]> {
  return Promise.all(
    [...groups.entries()].map(async ([address, keys]) => {
      const redis = await openConnection(targetFor(target, address))
      try {
        return await work(redis, keys)
      } finally {
        closeConnection(redis)
      }
    }),
  )
}

const BATCH = 500

/** `count` hashes `${prefix}${i}` with `fields` fields each, every one with a TTL. */
export async function createKeys(target: Target, slots: Array<string | undefined>, prefix: string, count: number, fieldCount: number, ttlSec: number): Promise<Keyspace> {
  const keys = Array.from({length: count}, (_, i) => `${prefix}${i}`)
  const fields = Array.from({length: fieldCount}, (_, i) => `f${i}`)
  const value = 'x'.repeat(32)
  await onEachOwner(target, byOwner(keys, slots), async (redis, own) => {
    for (let i = 0; i < own.length; i += BATCH) {
      const pipeline = redis.pipeline()
      for (const key of own.slice(i, i + BATCH)) {
        pipeline.hset(key, ...fields.flatMap((f) => [f, value]))
        pipeline.expire(key, ttlSec)
      }
      const results = await pipeline.exec()
      const failed = results?.find(([error]) => error)
      if (failed) throw new Error(`creating replay keys failed: ${failed[0]?.message}`)
    }
  })
  return {keys, fields, owned: true}
}

/** Samples existing hashes with SCAN on every master, read-only; fields from HRANDFIELD. */
export async function sampleKeys(target: Target, masters: string[], pattern: string, count: number, fieldCount: number): Promise<Keyspace> {
  const perMaster = Math.ceil(count / Math.max(1, masters.length))
  const found = await Promise.all(
    masters.map(async (address) => {
      const redis = await openConnection(targetFor(target, address))
      try {
        const keys: string[] = []
        let cursor = '0'
        let rounds = 0
        do {
          const [next, batch] = (await redis.call('SCAN', cursor, 'MATCH', pattern, 'COUNT', '1000', 'TYPE', 'hash')) as [string, string[]]
          keys.push(...batch)
          cursor = next
        } while (cursor !== '0' && keys.length < perMaster && ++rounds < 1000)
        return keys.slice(0, perMaster)
      } finally {
        closeConnection(redis)
      }
    }),
  )
  const keys = found.flat().slice(0, count)
  if (keys.length === 0) throw usageError(`--keys-from ${pattern}: no hash matches on any master`)
  const fields = await fieldsOf(target, masters, keys[0], fieldCount)
  return {keys, fields, owned: false}
}

async function fieldsOf(target: Target, masters: string[], key: string, fieldCount: number): Promise<string[]> {
  for (const address of masters) {
    const redis = await openConnection(targetFor(target, address))
    try {
      const fields = (await redis.call('HRANDFIELD', key, String(fieldCount))) as string[]
      if (fields.length > 0) return fields
    } catch {
      // MOVED: another master owns it
    } finally {
      closeConnection(redis)
    }
  }
  return Array.from({length: fieldCount}, (_, i) => `f${i}`)
}

/** Removes the keys rcdiag created; returns how many of them still exist afterwards (0 expected). */
export async function removeKeys(target: Target, slots: Array<string | undefined>, keyspace: Keyspace): Promise<number> {
  if (!keyspace.owned) return 0
  const remaining = await onEachOwner(target, byOwner(keyspace.keys, slots), async (redis, own) => {
    let left = 0
    for (let i = 0; i < own.length; i += BATCH) {
      const batch = own.slice(i, i + BATCH)
      const pipeline = redis.pipeline()
      for (const key of batch) pipeline.unlink(key)
      await pipeline.exec()
      const check = redis.pipeline()
      for (const key of batch) check.exists(key)
      const results = await check.exec()
      left += results?.reduce((sum, [, n]) => sum + Number(n ?? 0), 0) ?? 0
    }
    return left
  })
  return remaining.reduce((a, b) => a + b, 0)
}
