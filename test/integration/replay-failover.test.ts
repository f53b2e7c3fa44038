/**
 * A master dies (SIGKILL) in the middle of a replay and its replica takes over: the replay goes on,
 * single-flight recovers, the report is printed, and the keys are removed from their new owners.
 * Then the promoted master dies too, with nothing to take over: the report says which keys could not
 * be checked instead of claiming "0 remain".
 */
import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import {afterAll, assert, beforeAll, describe, expect, it} from 'vitest'

import type {ReplayReport} from '../../src/lib/replay/report.js'
import type {ClientModel, PhaseResult} from '../../src/lib/replay/types.js'
import {connect} from '../helpers/clients.js'
import {withLab} from '../helpers/lab.js'
import {schemaErrors} from '../helpers/schema.js'

type Lab = Awaited<ReturnType<typeof withLab>>
/** The --ndjson events read here: a finished phase (its result without the histogram) and the closing report (without runs). */
type PhaseEvent = {type: 'phase'; client: ClientModel} & Omit<PhaseResult, 'histogram'>
type ReportEvent = {type: 'report'} & Omit<ReplayReport, 'runs'>
type ReplayEvent = PhaseEvent | ReportEvent | {type: 'progress' | 'error'}

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

/** Runs the CLI with --ndjson; `onEvent` sees every event as it arrives (and may kill things). */
function runStreaming(
  args: string[],
  onEvent: (event: ReplayEvent, child: ReturnType<typeof spawn>) => void,
): Promise<{code: number | null; events: ReplayEvent[]; stderr: string}> {
  const env = {...process.env}
  delete env.NODE_ENV
  delete env.REDISCLI_AUTH
  const child = spawn(process.execPath, [BIN, ...args, '--ndjson'], {env})
  const events: ReplayEvent[] = []
  let buffer = ''
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  child.stdout.on('data', (chunk) => {
    buffer += chunk
    let newline
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const event: ReplayEvent = JSON.parse(buffer.slice(0, newline))
      buffer = buffer.slice(newline + 1)
      events.push(event)
      onEvent(event, child)
    }
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code, events, stderr})
    }),
  )
}

/** Replay keys on the nodes that are alive and masters now. */
async function replayKeysLeft(lab: Lab, dead: Set<string>): Promise<number> {
  let total = 0
  for (const node of lab.state.nodes.filter((n) => !dead.has(n.address))) {
    const redis = connect(node.address)
    try {
      const [role] = (await redis.call('ROLE')) as [string]
      if (role !== 'master') continue
      let cursor = '0'
      do {
        const [next, batch] = (await redis.call('SCAN', cursor, 'MATCH', 'rcdiag:replay:*', 'COUNT', '1000')) as [string, string[]]
        total += batch.length
        cursor = next
      } while (cursor !== '0')
    } finally {
      redis.disconnect()
    }
  }
  return total
}

describe('replay: a master dies mid-replay', () => {
  let lab: Lab
  const dead = new Set<string>()
  beforeAll(async () => {
    lab = await withLab({masters: 3, replicas: 1, timeoutSec: 1, clusterNodeTimeoutMs: 1000})
  })
  afterAll(async () => lab?.stop())

  it('its replica takes over: the report is printed, single-flight recovers, every key is removed from the new owners', async () => {
    const victim = lab.state.nodes.find((n) => n.role === 'master' && n.address !== lab.seed)!
    const args = [
      'replay',
      lab.seed,
      '--idle',
      '3s',
      '--cycles',
      '2',
      '--steady-bursts',
      '2',
      '--burst',
      '20',
      '--concurrency',
      '10',
      '--keys',
      '500',
    ]
    const result = await runStreaming([...args, '--client', 'single-flight', '--client', 'ioredis'], (event) => {
      if (event.type === 'phase' && event.client === 'single-flight' && event.name === 'warmup') {
        process.kill(victim.pid, 'SIGKILL') // in the first idle gap
        dead.add(victim.address)
      }
    })
    expect(dead.size, result.stderr).toBe(1)
    expect(result.code, result.stderr).toBe(0)
    const report = result.events.at(-1)
    expect(report?.type).toBe('report')
    assert(report?.type === 'report') // (narrows the type: the line above fails first)
    const {type: _type, ...doc} = report
    expect(schemaErrors('replay.schema.json', {...doc, runs: []})).toBe('')
    expect(report.keys).toMatchObject({mode: 'created', count: 500, removed: true, remaining: 0})
    expect(await replayKeysLeft(lab, dead)).toBe(0)

    const phases = result.events.filter((e) => e.type === 'phase')
    const sf = phases.filter((p) => p.client === 'single-flight')
    expect(sf.map((p) => `${p.name}:${p.cycle}`)).toEqual(['warmup:0', 'post-idle:1', 'steady:1', 'post-idle:2', 'steady:2'])
    // after the failover: a few failed operations at most, none once the map was re-read
    const later = sf.filter((p) => p.cycle === 2)
    expect(later.reduce((n, p) => n + p.errors, 0)).toBeLessThanOrEqual(2)
    expect(sf.find((p) => p.name === 'steady' && p.cycle === 1)?.errors).toBe(0)
    expect(sf.reduce((n, p) => n + p.errors, 0)).toBeLessThan(0.1 * sf.reduce((n, p) => n + p.ops, 0))
    // ioredis ran against the failed-over cluster (one node gone) and finished every phase
    expect(phases.filter((p) => p.client === 'ioredis')).toHaveLength(5)
  }, 90_000)

  it('the promoted replica dies too: interrupted report, keys that cannot be checked are reported as such (null + reason)', async () => {
    const victim = lab.state.nodes.find((n) => n.role === 'replica' && n.replicaOf && dead.has(n.replicaOf))!
    expect(victim).toBeDefined()
    const signalled: number[] = []
    const result = await runStreaming(
      ['replay', lab.seed, '--idle', '20s', '--burst', '10', '--concurrency', '5', '--keys', '300', '--client', 'single-flight'],
      (event, child) => {
        if (event.type === 'phase' && event.name === 'warmup') {
          process.kill(victim.pid, 'SIGKILL')
          dead.add(victim.address)
          child.kill('SIGINT')
          signalled.push(Date.now())
        }
      },
    )
    expect(signalled).toHaveLength(1)
    expect(Date.now() - signalled[0]).toBeLessThan(15_000)
    expect(result.code, result.stderr).toBe(130)
    const report = result.events.at(-1)
    expect(report).toMatchObject({type: 'report', interrupted: true})
    assert(report?.type === 'report') // (narrows the type: the line above fails first)
    expect(report.keys.removed).toBe(true)
    expect(report.keys.remaining).toBeNull()
    expect(report.keys.cleanupError).toMatch(/could not be removed or checked/)
  }, 60_000)
})

describe('replay: a master stops answering (SIGSTOP)', () => {
  let lab: Lab
  const stopped = new Set<number>()
  beforeAll(async () => {
    // no automatic failover within the test: only the one the second test forces
    lab = await withLab({masters: 3, replicas: 1, clusterNodeTimeoutMs: 60_000})
  })
  afterAll(async () => {
    for (const pid of stopped) process.kill(pid, 'SIGCONT')
    await lab?.stop()
  })

  const stop = (pid: number) => {
    process.kill(pid, 'SIGSTOP')
    stopped.add(pid)
  }

  it('without a failover: each phase that waits on it ends early naming it, --duration bounds the run, node-blocked names it first', async () => {
    const victim = lab.state.nodes.find((n) => n.role === 'master' && n.address !== lab.seed)!
    const started = Date.now()
    const args = ['replay', lab.seed, '--duration', '25s', '--idle', '1s', '--cycles', '3', '--keys', '200']
    const result = await runStreaming([...args, '--client', 'refresh-on-error', '--client', 'ioredis'], (event) => {
      if (event.type === 'phase' && event.name === 'warmup' && !stopped.has(victim.pid)) stop(victim.pid)
    })
    const elapsed = Date.now() - started
    process.kill(victim.pid, 'SIGCONT')
    stopped.delete(victim.pid)
    expect(result.code, result.stderr).toBe(0)
    // the whole run, cleanup included, within the duration (Node's own start-up aside)
    expect(elapsed).toBeLessThan(25_000 + 3_000)
    const phases = result.events.filter((e): e is PhaseEvent => e.type === 'phase')
    const early = phases.filter((p) => p.endedEarly)
    expect(early.length).toBeGreaterThan(0)
    for (const p of early) expect(p.endedEarly).toMatchObject({reason: 'stalled', node: victim.address})
    for (const p of early) expect(p.endedEarly!.silentMs).toBeGreaterThanOrEqual(4000)
    const report = result.events.at(-1)
    assert(report?.type === 'report', result.stderr)
    const {type: _type, ...doc} = report
    expect(schemaErrors('replay.schema.json', {...doc, runs: []})).toBe('')
    expect(report.interrupted).toBe(false)
    expect(report.findings[0]).toMatchObject({id: 'node-blocked', severity: 'critical'})
    expect(report.findings[0].nodes).toContain(victim.address)
    // the keys on the stopped node could not be removed: said so, not "0 remain"
    expect(report.keys.remaining).toBeNull()
    expect(report.keys.cleanupError).toContain(victim.address)
    // and no finding blames idle connections for what the stall did
    expect(report.findings.map((f) => f.id)).not.toContain('idle-timeout-reconnect')
  }, 60_000)

  it('with a failover to its replica: the replay goes on against the new master and ends in time', async () => {
    const victim = lab.state.nodes.find((n) => n.role === 'master' && n.address !== lab.seed && !stopped.has(n.pid))!
    const replica = lab.state.nodes.find((n) => n.replicaOf === victim.address)!
    const started = Date.now()
    const args = ['replay', lab.seed, '--duration', '25s', '--idle', '1s', '--cycles', '3', '--keys', '200', '--client', 'single-flight']
    let failedOver: Promise<unknown> | undefined
    const result = await runStreaming(args, (event) => {
      if (event.type === 'phase' && event.name === 'warmup' && !failedOver) {
        stop(victim.pid)
        const redis = connect(replica.address)
        failedOver = redis.call('CLUSTER', 'FAILOVER', 'FORCE').finally(() => redis.disconnect())
      }
    })
    await failedOver
    expect(result.code, result.stderr).toBe(0)
    expect(Date.now() - started).toBeLessThan(25_000 + 3_000)
    const phases = result.events.filter((e): e is PhaseEvent => e.type === 'phase')
    // the last cycle runs against the promoted replica without errors
    const last = phases.filter((p) => p.cycle === 3)
    expect(last.map((p) => p.name)).toEqual(['post-idle', 'steady'])
    expect(last.reduce((n, p) => n + p.errors, 0)).toBe(0)
    const report = result.events.at(-1)
    assert(report?.type === 'report', result.stderr)
    expect(report.interrupted).toBe(false)
  }, 60_000)
})
