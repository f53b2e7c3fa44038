import {parseRedirect, slotOf} from '../slot-table.js'
import type {OpContext} from '../types.js'
import {PooledClusterModel} from './pooled.js'

const MAX_ATTEMPTS = 5

/**
 * The fix: a connection closed by the server is reopened and the command retried on the same node;
 * a MOVED updates that slot and schedules one refresh; at most one refresh runs at a time and every
 * other worker that needs it waits for that one.
 */
export class SingleFlightModel extends PooledClusterModel {
  readonly name = 'single-flight' as const
  private stale = false
  private inflight: Promise<void> | undefined

  async hmget(worker: number, key: string, fields: string[], ctx: OpContext): Promise<boolean> {
    if (this.stale) await this.refresh(ctx)
    const slot = slotOf(key)
    let askTo: string | undefined
    let timeouts = 0
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const address = askTo ?? this.slots[slot] ?? this.nodes[0]
      const asking = Boolean(askTo)
      askTo = undefined
      const {failure, error} = await this.attempt(worker, address, key, fields, ctx, asking)
      if (!failure) return true
      this.count(ctx, failure)
      // Closed by the server: the pooled connection was dropped, the next attempt reconnects to the same node.
      if (failure === 'closed') continue
      // A node that does not answer will not answer a second time either; the topology may have changed.
      if (failure === 'timeout') {
        if (++timeouts > 1) return false
        this.stale = true
        continue
      }
      const redirect = parseRedirect(String((error as Error).message))
      if (failure === 'moved' && redirect) {
        this.slots[redirect.slot] = redirect.address
        this.stale = true
        continue
      }
      if (failure === 'ask' && redirect) {
        askTo = redirect.address
        continue
      }
      return false
    }
    return false
  }

  private async refresh(ctx: OpContext): Promise<void> {
    if (!this.inflight) {
      ctx.refreshes++
      this.inflight = (async () => {
        this.events.refreshStarted()
        const started = performance.now()
        try {
          for (const address of this.nodes) {
            const table = await this.readSlotMap(address, false)
            if (table) {
              this.slots = table
              break
            }
          }
          this.stale = false
        } finally {
          this.events.refreshEnded(performance.now() - started)
          this.inflight = undefined
        }
      })()
    }
    await this.inflight
  }
}
