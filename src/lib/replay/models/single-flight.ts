import {slotOf} from '../../redis/slot-table.js'
import type {OpContext} from '../types.js'
import {PooledClusterModel, sleep} from './pooled.js'

const MAX_ATTEMPTS = 6
/** wait before the n-th re-read of the map after a node refused or did not answer: a failover takes a moment */
const backoffMs = (n: number) => Math.min(50 * 2 ** n, 800)

/**
 * The fix: a connection closed by the server is reopened and the command retried on the same node,
 * once; a node that cannot be reconnected to (refused, timed out: dead or failed over) or that
 * closes again makes the slot map stale. A MOVED updates that slot and makes the map stale too. A
 * stale map is re-read by one refresh at a time; every other worker that needs it waits for that one.
 * A generation counter keeps a MOVED (or a refusal) that arrives while a refresh is running from
 * being forgotten when that refresh ends: the map then stays stale and is read again.
 */
export class SingleFlightModel extends PooledClusterModel {
  readonly name = 'single-flight' as const
  private stale = false
  private generation = 0
  /** the generation the last successful refresh started at: everything marked up to it is answered */
  private answered = 0
  private inflight: Promise<void> | undefined

  async hmget(worker: number, key: string, fields: string[], ctx: OpContext): Promise<boolean> {
    if (this.stale) await this.refresh(ctx)
    const slot = slotOf(key)
    let askTo: string | undefined
    let timeouts = 0
    let reopened = false
    let rereads = 0
    for (let attempt = 0; attempt < MAX_ATTEMPTS && !this.closed; attempt++) {
      const address = askTo ?? this.slots[slot] ?? this.nodes[0]
      const asking = Boolean(askTo)
      askTo = undefined
      const {failure, error, connectFailed} = await this.attempt(worker, address, key, fields, ctx, asking)
      if (!failure) return true
      this.count(ctx, failure)
      if (failure === 'closed' && !connectFailed && !reopened) {
        // Closed by the server (idle timeout): the pooled connection was dropped; reopen it, same node.
        reopened = true
        continue
      }
      if (failure === 'closed' || failure === 'timeout') {
        // The node refuses, does not answer or keeps closing: it may be gone; its replica may own the slot now.
        if (failure === 'timeout' && ++timeouts > 1) return false
        const wanted = this.markStale()
        await sleep(backoffMs(rereads++))
        await this.refreshUnlessAnswered(wanted, ctx)
        reopened = false
        continue
      }
      const next = this.followRedirect(failure, error, address)
      if (!next) return false
      if (next.moved) this.markStale()
      askTo = next.askTo
    }
    return false
  }

  /** Returns the generation a refresh must have started at (or after) to answer this. */
  private markStale(): number {
    this.stale = true
    return ++this.generation
  }

  /** Workers that failed together and waited out the backoff share one refresh: whoever comes later finds it done. */
  private async refreshUnlessAnswered(wanted: number, ctx: OpContext): Promise<void> {
    if (this.answered >= wanted) return
    if (this.inflight) await this.inflight
    if (this.answered >= wanted) return
    await this.refresh(ctx)
  }

  /** One refresh at a time: the first node that answers CLUSTER SLOTS wins; everyone else waits for it. */
  private async refresh(ctx: OpContext): Promise<void> {
    if (!this.inflight) {
      ctx.refreshes++
      const generation = this.generation
      this.inflight = (async () => {
        this.events.refreshStarted()
        const started = performance.now()
        try {
          for (const address of this.nodes) {
            const table = await this.readSlotMap(address, false)
            if (!table) continue
            this.slots = table
            // Only what was known when this refresh started is answered by it.
            this.answered = Math.max(this.answered, generation)
            if (this.generation === generation) this.stale = false
            break
          }
        } finally {
          this.events.refreshEnded(performance.now() - started)
          this.inflight = undefined
        }
      })()
    }
    await this.inflight
  }
}
