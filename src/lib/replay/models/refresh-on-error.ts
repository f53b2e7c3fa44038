import {slotOf} from '../../redis/slot-table.js'
import type {OpContext} from '../types.js'
import {PooledClusterModel, sleep} from './pooled.js'

/** redis-py-cluster's RedisClusterRequestTTL */
const REQUEST_TTL = 16

/**
 * The redis-py-cluster 2.x behaviour from the incident:
 * - a dead pooled connection is found only when used;
 * - a connection error sends the retry to a random node (which answers MOVED);
 * - MOVED marks the slot table stale ("refresh_table_asap");
 * - the next command of every worker that sees the mark runs its own full refresh (a new connection
 *   to every startup node, CLUSTER SLOTS and CONFIG GET cluster-require-full-coverage each), with no
 *   lock, and clears the mark only when done: a refresh stampede.
 */
export class RefreshOnErrorModel extends PooledClusterModel {
  readonly name = 'refresh-on-error' as const
  private refreshTableAsap = false

  async hmget(worker: number, key: string, fields: string[], ctx: OpContext): Promise<boolean> {
    if (this.refreshTableAsap) await this.initialize(ctx)
    const slot = slotOf(key)
    let tryRandomNode = false
    let askTo: string | undefined
    for (let ttl = REQUEST_TTL; ttl > 0 && !this.closed; ttl--) {
      let address: string | undefined
      if (askTo) address = askTo
      else if (tryRandomNode) address = this.nodes[Math.floor(Math.random() * this.nodes.length)]
      else address = this.slots[slot] ?? this.nodes[0]
      tryRandomNode = false
      const asking = Boolean(askTo)
      askTo = undefined

      const {failure, error} = await this.attempt(worker, address, key, fields, ctx, asking)
      if (!failure) return true
      this.count(ctx, failure)
      if (failure === 'closed' || failure === 'timeout') {
        tryRandomNode = true
        if (ttl < REQUEST_TTL / 2) await sleep(100)
        continue
      }
      const next = this.followRedirect(failure, error, address)
      if (!next) return false
      if (next.moved) this.refreshTableAsap = true
      askTo = next.askTo
    }
    return false
  }

  /** NodeManager.initialize(): every startup node in turn, no single-flight. */
  private async initialize(ctx: OpContext): Promise<void> {
    ctx.refreshes++
    this.events.refreshStarted()
    const started = performance.now()
    let table: Array<string | undefined> | undefined
    for (const address of this.nodes) {
      const read = await this.readSlotMap(address, true)
      table ??= read
    }
    if (table) this.slots = table
    this.refreshTableAsap = false
    this.events.refreshEnded(performance.now() - started)
  }
}
