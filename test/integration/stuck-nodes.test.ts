/**
 * Stuck nodes on a real 3-master lab (busy-reply-threshold 100 ms): a master running an endless
 * script (-BUSY), a master paused with CLIENT PAUSE and a master stopped with SIGSTOP (both accept
 * connections and answer nothing). probe names each first, as node-blocked, exits 0 (6 with
 * --fail-on critical), and lists no skipped check for them; slowlog does not count them as read.
 */
import {Redis} from 'ioredis'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import type {ProbeReport} from '../../src/lib/report/probe-report.js'
import type {SlowlogReport} from '../../src/lib/slowlog/report.js'
import {connect, sleep, startAfterFirstSnapshot} from '../helpers/clients.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {withLab} from '../helpers/lab.js'

type Lab = Awaited<ReturnType<typeof withLab>>

describe('stuck nodes', () => {
  let lab: Lab
  let masters: Lab['state']['nodes']
  const cleanups: Array<() => Promise<void> | void> = []

  beforeAll(async () => {
    lab = await withLab({masters: 3, replicas: 0, config: [['busy-reply-threshold', '100']]})
    masters = lab.state.nodes.filter((n) => n.role === 'master')
  })
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup()
  })
  afterAll(async () => lab?.stop())

  const probe = async (...extra: string[]) => {
    const result = await runCli(['probe', lab.seed, '--json', '--command-timeout', '1s', ...extra])
    return {result, report: parseJson<ProbeReport>(result)}
  }

  it('a master running an endless script: node-blocked (busy) first, no skipped checks, slowlog leaves it unread', async () => {
    const victim = masters.find((n) => n.address !== lab.seed)!
    const script: Redis = connect(victim.address)
    script.on('error', () => undefined)
    script.call('EVAL', 'while true do end', '0').catch(() => undefined)
    cleanups.push(async () => {
      const killer = withoutReadyCheck(victim.address)
      // until the node answers again: SCRIPT KILL takes effect at the script's next check
      for (let i = 0; i < 50; i++) {
        await killer.call('SCRIPT', 'KILL').catch(() => undefined)
        if ((await killer.ping().catch(() => 'BUSY')) === 'PONG') break
        await sleep(50)
      }
      killer.disconnect()
      script.disconnect()
    })
    await sleep(300) // past busy-reply-threshold

    const {result, report} = await probe()
    expect(result.code, result.stderr).toBe(0)
    const top = report.findings[0]
    expect(top).toMatchObject({id: 'node-blocked', severity: 'critical', nodes: [victim.address]})
    expect(top.title).toContain(`${victim.address} (master) is busy running a script`)
    expect(top.evidence[0]).toContain('BUSY')
    expect(report.nodes.find((n) => n.address === victim.address)?.error).toMatch(/^BUSY Redis is busy running a script/)
    expect(report.skipped.filter((s) => s.nodes.includes(victim.address))).toEqual([])
    expect(report.findings.map((f) => f.id)).not.toContain('config-unreadable')
    expect((await probe('--fail-on', 'critical')).result.code).toBe(6)
    // The stuck node as the seed cannot tell the topology: one line that says so, and what to do
    const fromStuckSeed = await runCli(['probe', victim.address, '--command-timeout', '1s'])
    expect(fromStuckSeed.code).toBe(3)
    expect(fromStuckSeed.stderr.trim()).toBe(
      `rcdiag: ${victim.address} is stuck (busy running a script: BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.) ` +
        'and cannot tell the topology; if it is part of a cluster, probe another node',
    )

    const slowlog = parseJson<SlowlogReport>(await runCli(['slowlog', lab.seed, '--json', '--command-timeout', '1s']))
    expect(slowlog.nodes.find((n) => n.address === victim.address)).toMatchObject({reachable: false, skipped: null})
    expect(slowlog.nodes.filter((n) => n.reachable)).toHaveLength(2)
  })

  it('a paused master answers nothing: node-blocked (stalled)', async () => {
    const victim = masters.find((n) => n.address !== lab.seed)!
    const admin = connect(victim.address)
    admin.on('error', () => undefined)
    await admin.call('CLIENT', 'PAUSE', '5000', 'ALL')
    cleanups.push(() => unpause(admin))
    const {result, report} = await probe()
    expect(result.code, result.stderr).toBe(0)
    expect(report.findings[0]).toMatchObject({id: 'node-blocked', nodes: [victim.address]})
    expect(report.findings[0].title).toContain(`${victim.address} (master) is stalled`)
  })

  it('a master paused during --sample, with no failover: a stall, not a failover', async () => {
    const victim = masters.find((n) => n.address !== lab.seed)!
    // the first snapshot is taken; the second comes while the node is paused
    const {running: sampled} = await startAfterFirstSnapshot(
      masters.map((n) => n.address),
      () => runCli(['probe', lab.seed, '--json', '--command-timeout', '1s', '--sample', '2s']),
    )
    const admin = connect(victim.address)
    admin.on('error', () => undefined)
    await admin.call('CLIENT', 'PAUSE', '5000', 'ALL')
    cleanups.push(() => unpause(admin))
    const result = await sampled
    expect(result.code, result.stderr).toBe(0)
    const report = parseJson<ProbeReport>(result)
    expect(report.sample?.changes).toContainEqual({address: victim.address, what: 'stopped answering', kind: 'reachability'})
    expect(report.findings.map((f) => f.id)).not.toContain('recent-failover')
    expect(report.findings[0]).toMatchObject({id: 'node-blocked', nodes: [victim.address]})
  })

  it('a stopped master answers nothing: node-blocked (stalled)', async () => {
    const victim = masters.find((n) => n.address !== lab.seed)!
    process.kill(victim.pid, 'SIGSTOP')
    cleanups.push(() => {
      process.kill(victim.pid, 'SIGCONT')
    })
    const {result, report} = await probe()
    expect(result.code, result.stderr).toBe(0)
    expect(report.findings[0]).toMatchObject({id: 'node-blocked', nodes: [victim.address]})
    expect(report.nodes.find((n) => n.address === victim.address)?.reachable).toBe(false)
  })
})

/**
 * CLIENT UNPAUSE, then wait until the node answers again: on Redis 7.0 the UNPAUSE itself waits out
 * the pause, and the next test must not start against a node that is still paused.
 */
async function unpause(admin: Redis): Promise<void> {
  await admin.call('CLIENT', 'UNPAUSE').catch(() => undefined)
  for (let i = 0; i < 200 && (await admin.ping().catch(() => 'paused')) !== 'PONG'; i++) await sleep(50)
  admin.disconnect()
}

/** A connection that does not send INFO first (ioredis' ready check): a busy node answers that with BUSY and the connection would never be ready. */
function withoutReadyCheck(address: string): Redis {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))]
  const redis = new Redis({
    host,
    port,
    enableReadyCheck: false,
    disableClientInfo: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  redis.on('error', () => undefined)
  return redis
}
