/**
 * The refresh-on-error model (redis-py-cluster 2.x, the incident) on a scripted cluster: the two
 * network calls (one attempt on one node, one slot-map read) are replaced, the recovery policy under
 * test is the real one. The script keeps one pooled connection per worker per node; an "idle gap"
 * makes the server close them all, as `timeout` does.
 */
import {ReplyError} from 'ioredis'
import {afterEach, describe, expect, it, vi} from 'vitest'

import {recoveryKind} from '../../../src/lib/redis/failures.js'
import {slotOf} from '../../../src/lib/redis/slot-table.js'
import {resolveTarget} from '../../../src/lib/redis/target.js'
import type {Attempt, PooledModelOptions} from '../../../src/lib/replay/models/pooled.js'
import {RefreshOnErrorModel} from '../../../src/lib/replay/models/refresh-on-error.js'
import {SingleFlightModel} from '../../../src/lib/replay/models/single-flight.js'
import {emptyOpContext} from '../../../src/lib/replay/recorder.js'
import type {ClientModelRunner, ModelEvents, OpContext} from '../../../src/lib/replay/types.js'
import {TOTAL_SLOTS} from '../../../src/lib/shared/constants.js'

/** Startup nodes: three masters, then their replicas. */
const NODES = ['10.0.0.1:7000', '10.0.0.2:7001', '10.0.0.3:7002', '10.0.0.4:7003', '10.0.0.5:7004', '10.0.0.6:7005']
const [M1, M2, M3, , , R3] = NODES
const KEY = 'user:1001'
const SLOT = slotOf(KEY)
const FIELDS = ['name', 'email']

/** slot → owner: the three masters, 5461/5462/5461 slots. */
function threeMasters(): Array<string | undefined> {
  return Array.from({length: TOTAL_SLOTS}, (_, slot) => (slot <= 5460 ? M1 : slot <= 10922 ? M2 : M3))
}
const OWNER = threeMasters()[SLOT]!
/** another master, where the slot moves (MOVED) or is being migrated to (ASK) */
const OTHER = [M1, M2, M3].find((m) => m !== OWNER)!

const fail = (error: Error): Attempt => ({failure: recoveryKind(error), error})

/** A cluster as the models see it through their two network calls. */
class Script {
  /** who really owns each slot now */
  owners = threeMasters()
  /** pooled connections the server still has open, "worker|address" */
  readonly open = new Set<string>()
  /** pooled connections the server closed while they were idle: the next command on them fails */
  readonly closedByServer = new Set<string>()
  /** nodes that accept commands and never answer (each attempt ends in the client's timeout) */
  readonly silent = new Set<string>()
  /** a slot being migrated: `from` answers ASK to `to`, which serves it only after ASKING */
  ask: {from: string; to: string} | undefined
  /** how long one unanswered attempt waits, and one slot-map read takes */
  timeoutMs = 1
  readMs = 3
  readonly attempts: Array<{worker: number; address: string; asking: boolean}> = []
  readonly reads: Array<{address: string; withConfigGet: boolean}> = []

  /** The idle gap: the server's `timeout` closes every pooled connection. */
  idleGap(): void {
    for (const connection of this.open) this.closedByServer.add(connection)
    this.open.clear()
  }

  async attempt(worker: number, address: string, key: string, asking: boolean): Promise<Attempt> {
    this.attempts.push({worker, address, asking})
    const connection = `${worker}|${address}`
    await Promise.resolve()
    if (this.closedByServer.delete(connection)) return fail(new Error('Connection is closed.')) // the model drops it
    this.open.add(connection)
    if (this.silent.has(address)) {
      await new Promise((resolve) => setTimeout(resolve, this.timeoutMs))
      this.open.delete(connection)
      return fail(new Error('Command timed out'))
    }
    const slot = slotOf(key)
    const owner = this.owners[slot]
    if (this.ask && address === this.ask.from) return fail(new ReplyError(`ASK ${slot} ${this.ask.to}`))
    if (this.ask && address === this.ask.to) return asking ? {} : fail(new ReplyError(`MOVED ${slot} ${owner}`))
    if (address !== owner) return fail(new ReplyError(`MOVED ${slot} ${owner}`))
    return {}
  }

  async readSlotMap(address: string, withConfigGet: boolean, closed: boolean): Promise<Array<string | undefined> | undefined> {
    if (closed) return undefined
    this.reads.push({address, withConfigGet})
    await new Promise((resolve) => setTimeout(resolve, this.readMs))
    return [...this.owners]
  }

  attemptsOf(worker: number, from = 0): string[] {
    return this.attempts
      .slice(from)
      .filter((a) => a.worker === worker)
      .map((a) => a.address)
  }
}

function options(workers: number): PooledModelOptions {
  return {target: resolveTarget({spec: NODES[0], env: {}}), nodes: NODES, slots: threeMasters(), workers, connectionName: 'test'}
}

class ScriptedRefreshOnError extends RefreshOnErrorModel {
  constructor(
    readonly script: Script,
    workers: number,
  ) {
    super(options(workers))
  }

  protected override attempt(
    worker: number,
    address: string,
    key: string,
    _fields: string[],
    _ctx: OpContext,
    asking = false,
  ): Promise<Attempt> {
    return this.script.attempt(worker, address, key, asking)
  }

  protected override readSlotMap(address: string, withConfigGet: boolean): Promise<Array<string | undefined> | undefined> {
    return this.script.readSlotMap(address, withConfigGet, this.closed)
  }

  /** test access to the policy's private mark */
  get stale(): boolean {
    return (this as unknown as {refreshTableAsap: boolean}).refreshTableAsap
  }
}

class ScriptedSingleFlight extends SingleFlightModel {
  constructor(
    readonly script: Script,
    workers: number,
  ) {
    super(options(workers))
  }

  protected override attempt(
    worker: number,
    address: string,
    key: string,
    _fields: string[],
    _ctx: OpContext,
    asking = false,
  ): Promise<Attempt> {
    return this.script.attempt(worker, address, key, asking)
  }

  protected override readSlotMap(address: string, withConfigGet: boolean): Promise<Array<string | undefined> | undefined> {
    return this.script.readSlotMap(address, withConfigGet, this.closed)
  }
}

/** Refreshes as the scheduler sees them through ModelEvents: how many ran, and how many at once. */
function refreshMeter(): ModelEvents & {started: number; ended: number; running: number; maxRunning: number} {
  return {
    started: 0,
    ended: 0,
    running: 0,
    maxRunning: 0,
    refreshStarted() {
      this.started++
      this.running++
      this.maxRunning = Math.max(this.maxRunning, this.running)
    },
    refreshEnded(ms: number) {
      expect(ms).toBeGreaterThanOrEqual(0)
      this.ended++
      this.running--
    },
    note() {},
  }
}

/** The counters of several operations added up. */
function total(contexts: OpContext[]): OpContext {
  const sum = emptyOpContext()
  for (const ctx of contexts) for (const key of Object.keys(sum) as Array<keyof OpContext>) sum[key] += ctx[key]
  return sum
}

/** Every worker runs `ops` HMGETs back to back, all workers at once; returns each op's result and counters. */
async function burst(model: ClientModelRunner, workers: number, ops: number): Promise<Array<Array<{ok: boolean; ctx: OpContext}>>> {
  return Promise.all(
    Array.from({length: workers}, async (_, worker) => {
      const out: Array<{ok: boolean; ctx: OpContext}> = []
      for (let i = 0; i < ops; i++) {
        const ctx = emptyOpContext()
        out.push({ok: await model.hmget(worker, KEY, FIELDS, ctx), ctx})
      }
      return out
    }),
  )
}

/** The retry after a connection error goes to a random node: make it this one (the tests pick a replica, which answers MOVED). */
const retryGoesTo = (address: string) => {
  const index = NODES.indexOf(address)
  vi.spyOn(Math, 'random').mockReturnValue((index + 0.5) / NODES.length)
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('refresh-on-error: the incident (idle gap longer than the server timeout)', () => {
  const WORKERS = 20

  async function incident() {
    const script = new Script()
    const model = new ScriptedRefreshOnError(script, WORKERS)
    const meter = refreshMeter()
    await model.start(meter)
    // warm-up: every worker's pooled connection to the owner is open
    const warm = await burst(model, WORKERS, 1)
    expect(warm.flat().every((r) => r.ok)).toBe(true)
    expect(script.open.size).toBe(WORKERS)
    expect(meter.started).toBe(0)
    script.idleGap()
    retryGoesTo(R3)
    const from = script.attempts.length
    const post = await burst(model, WORKERS, 3)
    return {script, model, meter, from, post}
  }

  it("each worker's first command fails on the closed connection, retries on a random node, gets MOVED, then succeeds", async () => {
    const {script, post, from} = await incident()
    expect(post.flat().every((r) => r.ok)).toBe(true)
    for (let worker = 0; worker < WORKERS; worker++) {
      // op 1: owner (closed by the server) → random node R3 (MOVED) → owner again (reconnected); ops 2 and 3: owner
      expect(script.attemptsOf(worker, from)).toEqual([OWNER, R3, OWNER, OWNER, OWNER])
    }
    const first = total(post.map((ops) => ops[0].ctx))
    expect(first).toMatchObject({connectionErrors: WORKERS, closedConnectionErrors: WORKERS, moved: WORKERS, timeouts: 0, refreshes: 0})
  })

  it('MOVED marks the table stale and the next command of EVERY worker runs its own full refresh, all at once', async () => {
    const {post, meter} = await incident()
    const second = total(post.map((ops) => ops[1].ctx))
    // one refresh per worker, not one for the cluster
    expect(second.refreshes).toBeGreaterThanOrEqual(WORKERS - 1)
    expect(second.refreshes).toBeLessThanOrEqual(WORKERS)
    expect(meter.started).toBe(second.refreshes)
    expect(meter.ended).toBe(meter.started)
    // no lock: they overlap (the stampede)
    expect(meter.maxRunning).toBeGreaterThan(1)
    expect(meter.maxRunning).toBeGreaterThanOrEqual(WORKERS / 2)
    // after the stampede the table is fresh: the third command refreshes nothing
    expect(total(post.map((ops) => ops[2].ctx)).refreshes).toBe(0)
  })

  it('each refresh reads the slot map from ALL startup nodes, with CONFIG GET, once per node', async () => {
    const {script, meter} = await incident()
    expect(meter.started).toBeGreaterThan(1) // refreshes ran: the checks below are not about an empty list
    expect(script.reads.length).toBe(meter.started * NODES.length)
    expect(script.reads.every((r) => r.withConfigGet)).toBe(true)
    for (const address of NODES) expect(script.reads.filter((r) => r.address === address)).toHaveLength(meter.started)
  })
})

describe('refresh-on-error: redirects', () => {
  it('a plain MOVED on a healthy table: follows the redirect at once, marks the table stale, refreshes on the next command', async () => {
    const script = new Script()
    const model = new ScriptedRefreshOnError(script, 1)
    const meter = refreshMeter()
    await model.start(meter)
    script.owners[SLOT] = OTHER // the slot was moved to another master
    const ctx = emptyOpContext()
    expect(await model.hmget(0, KEY, FIELDS, ctx)).toBe(true)
    expect(script.attemptsOf(0)).toEqual([OWNER, OTHER])
    expect(ctx).toMatchObject({moved: 1, connectionErrors: 0, refreshes: 0})
    expect(model.stale).toBe(true)
    expect(script.reads).toHaveLength(0)

    const next = emptyOpContext()
    expect(await model.hmget(0, KEY, FIELDS, next)).toBe(true)
    expect(next.refreshes).toBe(1)
    expect(meter.started).toBe(1)
    expect(script.reads.map((r) => r.address)).toEqual(NODES)
    expect(model.stale).toBe(false)
    // the redirect had already pointed the slot at its new owner
    expect(script.attemptsOf(0).slice(2)).toEqual([OTHER])
  })

  it('ASK goes to the named node with ASKING, once, without marking the table stale', async () => {
    const script = new Script()
    script.ask = {from: OWNER, to: OTHER}
    const model = new ScriptedRefreshOnError(script, 1)
    await model.start(refreshMeter())
    const ctx = emptyOpContext()
    expect(await model.hmget(0, KEY, FIELDS, ctx)).toBe(true)
    expect(script.attempts).toEqual([
      {worker: 0, address: OWNER, asking: false},
      {worker: 0, address: OTHER, asking: true},
    ])
    expect(ctx).toMatchObject({ask: 1, moved: 0, refreshes: 0})
    expect(model.stale).toBe(false)
    // the table still names the owner: the next command starts there, and nothing is refreshed
    expect(await model.hmget(0, KEY, FIELDS, emptyOpContext())).toBe(true)
    expect(script.attempts[2]).toEqual({worker: 0, address: OWNER, asking: false})
    expect(script.reads).toHaveLength(0)
  })
})

describe('refresh-on-error: limits', () => {
  it('the request TTL (16 attempts) bounds a node that never answers; the operation fails', async () => {
    const script = new Script()
    script.silent.add(OWNER)
    const model = new ScriptedRefreshOnError(script, 1)
    await model.start(refreshMeter())
    retryGoesTo(R3)
    const ctx = emptyOpContext()
    expect(await model.hmget(0, KEY, FIELDS, ctx)).toBe(false)
    expect(script.attempts).toHaveLength(16)
    // timeout on the owner, retry on a random node, MOVED back to the owner, ...
    expect(script.attemptsOf(0).slice(0, 4)).toEqual([OWNER, R3, OWNER, R3])
    expect(ctx).toMatchObject({timeouts: 8, connectionErrors: 8, closedConnectionErrors: 0, moved: 8})
    // the stale mark is only acted on by the next command
    expect(ctx.refreshes).toBe(0)
    expect(model.stale).toBe(true)
  })

  it('after close() no further attempt is made, also by an operation already retrying', async () => {
    const script = new Script()
    script.silent.add(OWNER)
    script.timeoutMs = 20
    const model = new ScriptedRefreshOnError(script, 1)
    await model.start(refreshMeter())
    retryGoesTo(R3)
    const running = model.hmget(0, KEY, FIELDS, emptyOpContext())
    await new Promise((resolve) => setTimeout(resolve, 5)) // the first attempt is waiting for its timeout
    expect(script.attempts).toHaveLength(1)
    await model.close()
    expect(await running).toBe(false)
    expect(script.attempts).toHaveLength(1)
    script.silent.clear()
    expect(await model.hmget(0, KEY, FIELDS, emptyOpContext())).toBe(false)
    expect(script.attempts).toHaveLength(1)
  })
})

describe('refresh-on-error vs single-flight on the same script', () => {
  it.each([
    ['the idle gap alone', false],
    ['the idle gap, and the slot moved to another master meanwhile', true],
  ])('%s: refresh-on-error stampedes, single-flight refreshes at most once at a time', async (_what, slotMoved) => {
    const WORKERS = 12
    const run = async (make: (script: Script) => ClientModelRunner) => {
      const script = new Script()
      const model = make(script)
      const meter = refreshMeter()
      await model.start(meter)
      await burst(model, WORKERS, 1)
      script.idleGap()
      if (slotMoved) script.owners[SLOT] = OTHER
      retryGoesTo(R3)
      const post = await burst(model, WORKERS, 2)
      vi.restoreAllMocks()
      return {script, meter, ok: post.flat().every((r) => r.ok), ctx: total(post.flat().map((r) => r.ctx))}
    }

    const incident = await run((script) => new ScriptedRefreshOnError(script, WORKERS))
    const fix = await run((script) => new ScriptedSingleFlight(script, WORKERS))

    expect(incident.ok).toBe(true)
    expect(fix.ok).toBe(true)
    // both saw every pooled connection closed by the server
    expect(incident.ctx.closedConnectionErrors).toBe(WORKERS)
    expect(fix.ctx.closedConnectionErrors).toBe(WORKERS)

    expect(incident.meter.maxRunning).toBeGreaterThan(1)
    expect(incident.ctx.refreshes).toBeGreaterThanOrEqual(WORKERS - 1)
    expect(incident.script.reads.length).toBe(incident.ctx.refreshes * NODES.length)

    expect(fix.meter.maxRunning).toBeLessThanOrEqual(1)
    expect(fix.ctx.refreshes).toBe(slotMoved ? 1 : 0)
    // single-flight reconnects to the same node: no random node, no CONFIG GET
    expect(fix.script.attempts.some((a) => a.address === R3)).toBe(false)
    expect(fix.script.reads.every((r) => !r.withConfigGet)).toBe(true)
    expect(fix.script.reads.length).toBeLessThan(incident.script.reads.length)
  })
})
