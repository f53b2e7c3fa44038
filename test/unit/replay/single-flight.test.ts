/**
 * The single-flight model's recovery policy on a scripted cluster: the network calls (one attempt on
 * one node, one slot-map read) are replaced, the policy under test is the real one.
 */
import {describe, expect, it} from 'vitest'

import {resolveTarget} from '../../../src/lib/redis/target.js'
import type {Attempt} from '../../../src/lib/replay/models/pooled.js'
import {SingleFlightModel} from '../../../src/lib/replay/models/single-flight.js'
import {emptyOpContext} from '../../../src/lib/replay/recorder.js'
import {TOTAL_SLOTS as SLOT_COUNT} from '../../../src/lib/shared/constants.js'
import type {OpContext} from '../../../src/lib/replay/types.js'

const table = (owner: string) => new Array<string | undefined>(SLOT_COUNT).fill(owner)

class ScriptedCluster extends SingleFlightModel {
  /** nodes that refuse connections */
  readonly dead = new Set<string>()
  /** what CLUSTER SLOTS says right now */
  owner = 'a:1'
  attempts: string[] = []
  reads = 0
  gate: Promise<void> | undefined
  running = 0
  maxRunning = 0

  constructor() {
    super({
      target: resolveTarget({spec: 'a:1', env: {}}),
      nodes: ['a:1', 'b:1', 'c:1'],
      slots: table('a:1'),
      workers: 8,
      connectionName: 'test',
    })
    void this.start({
      refreshStarted: () => {
        this.running++
        this.maxRunning = Math.max(this.maxRunning, this.running)
      },
      refreshEnded: () => {
        this.running--
      },
      note() {},
    })
  }

  protected override async attempt(_worker: number, address: string): Promise<Attempt> {
    this.attempts.push(address)
    await Promise.resolve()
    if (this.dead.has(address)) return {failure: 'closed', error: new Error('connect ECONNREFUSED'), connectFailed: true}
    if (address !== this.owner) return {failure: 'moved', error: new Error(`MOVED 1 ${this.owner}`)}
    return {}
  }

  protected override async readSlotMap(address: string): Promise<Array<string | undefined> | undefined> {
    if (this.dead.has(address)) return undefined
    this.reads++
    await this.gate
    return table(this.owner)
  }

  /** test access to the policy's state */
  get state(): {stale: boolean} {
    return this as unknown as {stale: boolean}
  }

  markStaleNow(): void {
    ;(this as unknown as {markStale(): void}).markStale()
  }
}

const op = (model: ScriptedCluster, worker: number, ctx: OpContext = emptyOpContext()) => model.hmget(worker, 'k', ['f0'], ctx)

describe('single-flight recovery', () => {
  it('a dead master whose replica takes over: re-reads the map with backoff, one refresh at a time, and recovers', async () => {
    const model = new ScriptedCluster()
    expect(await op(model, 0)).toBe(true)
    model.dead.add('a:1') // SIGKILL; the map still names a:1 until the failover
    setTimeout(() => (model.owner = 'b:1'), 120) // the replica b:1 is promoted
    const results = await Promise.all(Array.from({length: 8}, (_, worker) => op(model, worker)))
    expect(results.every(Boolean)).toBe(true)
    expect(model.maxRunning).toBe(1)
    // a few re-reads while the failover is pending, not one per worker per attempt
    expect(model.reads).toBeLessThanOrEqual(8)
    // afterwards: straight to the new master, no more refreshes
    const reads = model.reads
    const attempts = model.attempts.length
    expect(await Promise.all(Array.from({length: 8}, (_, worker) => op(model, worker)))).toEqual(Array(8).fill(true))
    expect(model.reads).toBe(reads)
    expect(model.attempts.slice(attempts).every((a) => a === 'b:1')).toBe(true)
  })

  it('gives up on an operation (false) instead of retrying one dead node forever', async () => {
    const model = new ScriptedCluster()
    model.dead.add('a:1')
    const ctx = emptyOpContext()
    expect(await op(model, 0, ctx)).toBe(false)
    expect(model.attempts.length).toBeLessThanOrEqual(6)
    expect(ctx.connectionErrors).toBe(model.attempts.length)
  })

  it('a MOVED that arrives while a refresh is running keeps the map stale for the next operation', async () => {
    const model = new ScriptedCluster()
    model.markStaleNow()
    let open = () => {}
    model.gate = new Promise<void>((resolve) => (open = resolve))
    const first = op(model, 0) // starts the refresh, which waits at the gate
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(model.reads).toBe(1)
    model.markStaleNow() // e.g. another worker's MOVED, answered by a map read before it
    open()
    expect(await first).toBe(true)
    expect(model.state.stale).toBe(true)
    model.gate = undefined
    expect(await op(model, 1)).toBe(true)
    expect(model.reads).toBe(2)
    expect(model.state.stale).toBe(false)
  })
})
