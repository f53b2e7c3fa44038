/**
 * Nodes that answer but cannot serve, on a real 3+3 lab: a replica loading its dataset after a
 * restart (-LOADING while it loads a full sync, slowed with key-load-delay), and a replica whose
 * master stopped (replica-serve-stale-data no: reads answer -MASTERDOWN). probe names each first as
 * node-blocked with the right node and kind, keeps the replica's role from the topology while it
 * cannot tell it, and exits 0 (6 with --fail-on critical).
 */
import {Cluster} from 'ioredis'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {slotOf} from '../../src/lib/redis/slot-table.js'
import type {ProbeReport} from '../../src/lib/report/probe-report.js'
import {connect, sleep} from '../helpers/clients.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {withLab} from '../helpers/lab.js'
import {schemaErrors} from '../helpers/schema.js'

type Lab = Awaited<ReturnType<typeof withLab>>

const probe = async (lab: Lab, ...extra: string[]) => {
  const result = await runCli(['probe', lab.seed, '--json', '--command-timeout', '1s', ...extra])
  const report = parseJson<ProbeReport>(result)
  expect(schemaErrors('probe.schema.json', report)).toBe('')
  return {result, report}
}

describe('loading and master-down replicas', () => {
  let lab: Lab
  beforeAll(async () => {
    lab = await withLab({
      masters: 3,
      replicas: 1,
      // no failover while a master is stopped; every key loaded costs 250 µs, so a full sync of a
      // third of the keys below keeps a replica loading for seconds
      clusterNodeTimeoutMs: 20_000,
      config: [
        ['replica-serve-stale-data', 'no'],
        ['key-load-delay', '250'],
        // answer clients (-LOADING) every KB of the load, not every 2 MB
        ['loading-process-events-interval-bytes', '1024'],
      ],
    })
    const cluster = new Cluster([{host: '127.0.0.1', port: Number(lab.seed.split(':')[1])}], {redisOptions: {protocol: 2}})
    const writes: Array<Promise<unknown>> = []
    for (let i = 0; i < 45_000; i++) writes.push(cluster.set(`fill:${i}`, 'x'.repeat(40)))
    await Promise.all(writes)
    cluster.disconnect()
  })
  afterAll(async () => lab?.stop())

  it('a replica loading its dataset: node-blocked (loading) first, with its role from the topology', async () => {
    const replica = lab.state.nodes.find((n) => n.role === 'replica')!
    // A new replication id on its master makes the replica's next sync a full one, which it loads
    // from disk. On a loaded machine the first try can be missed: trigger again, at most 3 times.
    const redis = connect(replica.address)
    redis.on('error', () => undefined)
    let reply = ''
    for (let attempt = 0; attempt < 3 && !reply.startsWith('LOADING'); attempt++) {
      const master = connect(replica.replicaOf!)
      await master.call('DEBUG', 'CHANGE-REPL-ID')
      master.disconnect()
      const link = connect(replica.address)
      await link.call('CLIENT', 'KILL', 'TYPE', 'master').catch(() => undefined)
      link.disconnect()
      // until it answers -LOADING (at most about 4 s per try)
      const until = Date.now() + 4000
      while (Date.now() < until && !reply.startsWith('LOADING')) {
        // CLUSTER INFO: not allowed while loading, and not answered MASTERDOWN meanwhile
        reply = await redis.call('CLUSTER', 'INFO').then(
          () => 'ok',
          (error: Error) => error.message,
        )
        if (!reply.startsWith('LOADING')) await sleep(25)
      }
    }
    const state = reply.startsWith('LOADING') ? '' : String(await redis.call('INFO', 'replication').catch((e: Error) => e.message))
    redis.disconnect()
    expect(reply, state).toMatch(/^LOADING/)

    const {result, report} = await probe(lab)
    expect(result.code, result.stderr).toBe(0)
    expect(report.findings[0]).toMatchObject({id: 'node-blocked', severity: 'critical', nodes: [replica.address]})
    expect(report.findings[0].title).toContain(`${replica.address} (replica) is loading its dataset (-LOADING)`)
    const node = report.nodes.find((n) => n.address === replica.address)!
    expect(node.role).toBe('replica')
    expect(report.skipped).toEqual([])
    expect(report.cluster?.replicas).toBe(3)

    const failing = await runCli(['probe', lab.seed, '--fail-on', 'critical'])
    expect(failing.code).toBe(6)

    // it finishes loading and the finding goes away
    for (let i = 0; i < 300; i++) {
      const again = await probe(lab)
      if (!again.report.findings.some((f) => f.id === 'node-blocked')) return
      await sleep(100)
    }
    throw new Error('the replica never finished loading')
  })

  it('a replica whose master stopped, told not to serve stale data: node-blocked names both, master stalled and replica masterdown', async () => {
    const replica = lab.state.nodes.filter((n) => n.role === 'replica').at(-1)!
    const master = lab.state.nodes.find((n) => n.address === replica.replicaOf)!
    process.kill(master.pid, 'SIGSTOP')
    try {
      // the replica notices at once when its link is dropped
      const redis = connect(replica.address)
      await redis.call('CLIENT', 'KILL', 'TYPE', 'master')
      let reply = ''
      // a key its master serves (READONLY: a cluster replica serves reads of its master's slots)
      const [from, to] = master.slots!
      let key = 'fill:0'
      for (let i = 0; slotOf(key) < from || slotOf(key) > to; i++) key = `fill:${i}`
      await redis.call('READONLY')
      for (let i = 0; i < 100 && !reply.startsWith('MASTERDOWN'); i++) {
        reply = await redis.call('GET', key).then(
          () => 'ok',
          (error: Error) => error.message,
        )
        if (!reply.startsWith('MASTERDOWN')) await sleep(50)
      }
      redis.disconnect()
      expect(reply).toMatch(/^MASTERDOWN/)

      const {result, report} = await probe(lab)
      expect(result.code, result.stderr).toBe(0)
      const top = report.findings[0]
      expect(top).toMatchObject({id: 'node-blocked', severity: 'critical'})
      expect(new Set(top.nodes)).toEqual(new Set([master.address, replica.address]))
      expect(top.title).toContain(`${master.address} (master) is stalled`)
      expect(top.title).toContain(`${replica.address} (replica) is a replica without its master (-MASTERDOWN)`)
      expect(top.evidence.find((line) => line.startsWith(`${replica.address}: `))).toMatch(
        /link to its master .* down( for \d+ s)? with replica-serve-stale-data no: reads answer -MASTERDOWN/,
      )
      expect(top.evidence.find((line) => line.startsWith(`${master.address}: `))).toContain('no answer within 1000 ms')
      // the replica still answered the probe: it is read, not unreachable
      expect(report.nodes.find((n) => n.address === replica.address)?.reachable).toBe(true)
    } finally {
      process.kill(master.pid, 'SIGCONT')
    }
  })
})
