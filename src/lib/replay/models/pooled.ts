import {parseClusterSlots} from '../../parse/cluster-slots.js'
import {closeConnection, connectWithin, createConnection, type Connection} from '../../redis/connection.js'
import {ConnectionClosedError, recoveryKind, type RecoveryKind} from '../../redis/failures.js'
import {parseRedirect, slotTableFrom} from '../../redis/slot-table.js'
import {targetFor, type Target} from '../../redis/target.js'
import type {ClientModel, ClientModelRunner, ModelEvents, OpContext} from '../types.js'

export interface PooledModelOptions {
  target: Target
  /** every node of the cluster: the startup nodes a refresh walks */
  nodes: string[]
  /** slot → master address, from the initial CLUSTER SLOTS */
  slots: Array<string | undefined>
  workers: number
  connectionName: string
}

/**
 * What redis-py-cluster style clients share: one pooled connection per worker per node, a slot
 * table, and connections that are only found dead when used (no health checks, no pings: during an
 * idle gap nothing is sent). Subclasses supply the recovery policy.
 */
export abstract class PooledClusterModel implements ClientModelRunner {
  abstract readonly name: ClientModel
  readonly connectionName: string
  protected readonly target: Target
  protected readonly nodes: string[]
  protected slots: Array<string | undefined>
  protected events: ModelEvents = {refreshStarted() {}, refreshEnded() {}, note() {}}
  private readonly pools: Array<Map<string, Connection>>
  private readonly extra = new Set<Connection>()
  /** after close(), an operation still in flight (an abort ends bursts early) opens nothing new and stops retrying */
  protected closed = false

  constructor(options: PooledModelOptions) {
    this.target = options.target
    this.nodes = options.nodes
    this.slots = [...options.slots]
    this.connectionName = options.connectionName
    this.pools = Array.from({length: options.workers}, () => new Map<string, Connection>())
  }

  async start(events: ModelEvents): Promise<void> {
    this.events = events
  }

  abstract hmget(worker: number, key: string, fields: string[], ctx: OpContext): Promise<boolean>

  async close(): Promise<void> {
    this.closed = true
    for (const pool of this.pools) for (const redis of pool.values()) closeConnection(redis)
    for (const redis of this.extra) closeConnection(redis)
    this.extra.clear()
  }

  /**
   * One attempt on one node; returns how it failed (and whether opening the connection failed, e.g.
   * refused by a dead node, as opposed to a command on an open one), or nothing on success.
   */
  protected async attempt(
    worker: number,
    address: string,
    key: string,
    fields: string[],
    ctx: OpContext,
    asking = false,
  ): Promise<Attempt> {
    let redis: Connection
    try {
      redis = await this.connection(worker, address, ctx)
    } catch (error) {
      return {failure: recoveryKind(error) === 'timeout' ? 'timeout' : 'closed', error, connectFailed: true}
    }
    try {
      if (asking) await redis.call('ASKING')
      await redis.hmget(key, ...fields)
      return {}
    } catch (error) {
      const failure = recoveryKind(error)
      if (failure === 'closed' || failure === 'timeout') this.drop(worker, address)
      return {failure, error}
    }
  }

  /** The worker's pooled connection to `address`, opened on first use. */
  protected async connection(worker: number, address: string, ctx: OpContext): Promise<Connection> {
    const pool = this.pools[worker]
    const existing = pool.get(address)
    if (existing) return existing
    if (this.closed) throw new ConnectionClosedError('model closed')
    const redis = createConnection(targetFor(this.target, address), this.connectionName)
    pool.set(address, redis)
    ctx.reconnects++
    try {
      await connectWithin(redis, this.target)
      return redis
    } catch (error) {
      this.drop(worker, address)
      throw error
    }
  }

  protected drop(worker: number, address: string): void {
    const pool = this.pools[worker]
    closeConnection(pool.get(address))
    pool.delete(address)
  }

  /**
   * Reads the slot map from one node on a brand-new connection, as redis-py-cluster's
   * get_redis_link does: connect, CLUSTER SLOTS, CONFIG GET cluster-require-full-coverage, close.
   */
  protected async readSlotMap(address: string, withConfigGet: boolean): Promise<Array<string | undefined> | undefined> {
    if (this.closed) return undefined
    const redis = createConnection(targetFor(this.target, address), `${this.connectionName}:refresh`)
    this.extra.add(redis)
    this.events.note('refresh-connect')
    try {
      await connectWithin(redis, this.target)
      const reply = await redis.call('CLUSTER', 'SLOTS')
      if (withConfigGet) {
        try {
          await redis.call('CONFIG', 'GET', 'cluster-require-full-coverage')
        } catch {
          // CONFIG may be disabled (managed services); the real client ignores it too
        }
      }
      return slotTableFrom(parseClusterSlots(reply))
    } catch {
      return undefined
    } finally {
      this.extra.delete(redis)
      closeConnection(redis)
    }
  }

  /**
   * A MOVED points the slot at its new owner (the caller decides what else it marks); an ASK names
   * the node to ask once. Anything else is not a redirect: undefined.
   */
  protected followRedirect(failure: RecoveryKind, error: unknown, from: string): {moved: boolean; askTo?: string} | undefined {
    if (failure !== 'moved' && failure !== 'ask') return undefined
    const redirect = parseRedirect(String((error as Error)?.message ?? error), from)
    if (!redirect) return undefined
    if (failure === 'ask') return {moved: false, askTo: redirect.address}
    this.slots[redirect.slot] = redirect.address
    return {moved: true}
  }

  protected count(ctx: OpContext, failure: RecoveryKind | undefined): void {
    if (failure === 'closed') {
      ctx.connectionErrors++
      ctx.closedConnectionErrors++
    } else if (failure === 'timeout') {
      ctx.connectionErrors++
      ctx.timeouts++
    } else if (failure === 'moved') ctx.moved++
    else if (failure === 'ask') ctx.ask++
  }
}

export interface Attempt {
  failure?: RecoveryKind
  error?: unknown
  /** opening the connection failed (refused, timed out): the node itself may be gone */
  connectFailed?: boolean
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
