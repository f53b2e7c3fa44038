/**
 * Every rule that can be provoked on a local lab, provoked for real and seen through the built CLI
 * (`rcdiag probe --json`). One 3x1 cluster is shared by the cluster cases, in an order where each
 * case only adds to what the previous ones left (the failover runs last); two standalone servers
 * cover maxclients and maxmemory.
 *
 * network-rtt cannot be provoked here: every lab node is on loopback, ~0.1 ms away, and nothing
 * slows one node's network path down without root. It is covered by unit tests only.
 */
import calculateSlot from 'cluster-key-slot'
import type {Redis} from 'ioredis'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ProbeReport} from '../../src/lib/report/probe-report.js'
import {connect, sleep} from '../helpers/clients.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {withLab} from '../helpers/lab.js'
import {schemaErrors} from '../helpers/schema.js'

type Lab = Awaited<ReturnType<typeof withLab>>
type LabNode = Lab['state']['nodes'][number]
const severe = (findings: Array<{severity: string}>) => findings.filter((f) => f.severity !== 'info')

async function probe(seed: string, ...extra: string[]): Promise<ProbeReport> {
  const result = await runCli(['probe', seed, '--json', ...extra])
  const report = parseJson<ProbeReport>(result)
  expect(schemaErrors('probe.schema.json', report)).toBe('')
  return report
}

const finding = (report: ProbeReport, id: string) => report.findings.find((f) => f.id === id)

async function infoField(redis: Redis, section: string, field: string): Promise<string | undefined> {
  const text = String(await redis.info(section))
  return text.match(new RegExp(`^${field}:(.*)\\r?$`, 'm'))?.[1]?.trim()
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

/** A hash tag whose slot the master owns, so plain connections to it never get MOVED. */
function tagOn(master: LabNode, prefix: string): string {
  const [start, end] = master.slots!
  for (let i = 0; ; i++) {
    const slot = calculateSlot(`${prefix}${i}`)
    if (slot >= start && slot <= end) return `${prefix}${i}`
  }
}

describe('rules on a real cluster', () => {
  let lab: Lab
  let masters: LabNode[]
  const open: Redis[] = []
  const client = (address: string) => {
    const redis = connect(address)
    open.push(redis)
    return redis
  }

  beforeAll(async () => {
    lab = await withLab({masters: 3, replicas: 1, timeoutSec: 0, tcpKeepaliveSec: 300})
    masters = lab.state.nodes.filter((n) => n.role === 'master')
  })
  afterAll(async () => {
    for (const redis of open) redis.disconnect()
    await lab?.stop()
  })

  it('a healthy cluster yields no warning or critical finding (the monitor-off info is allowed)', async () => {
    const report = await probe(lab.seed)
    expect(severe(report.findings)).toEqual([])
    const monitor = finding(report, 'server-latency-events')
    expect(monitor).toMatchObject({severity: 'info'})
    expect(monitor?.remedy).toContain('CONFIG SET latency-monitor-threshold 100')
  })

  it('slow-commands: a big HGETALL names its key pattern and node', async () => {
    const node = masters[0]
    const redis = client(node.address)
    const key = `user:{${tagOn(node, 't')}}:events`
    for (let chunk = 0; chunk < 20; chunk++) {
      const args: string[] = []
      for (let i = 0; i < 1000; i++) args.push(`field:${chunk * 1000 + i}`, 'x'.repeat(20))
      await redis.call('HSET', key, ...args)
    }
    await redis.call('SLOWLOG', 'RESET')
    await redis.call('CONFIG', 'SET', 'slowlog-log-slower-than', '200')
    try {
      for (let i = 0; i < 3; i++) await redis.call('HGETALL', key)
    } finally {
      await redis.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000')
    }
    const report = await probe(lab.seed)
    const slow = finding(report, 'slow-commands')
    expect(slow, JSON.stringify(report.findings)).toBeDefined()
    // the key user:{t5}:events is normalised to the pattern user:{t{n}}:events
    expect(slow?.title).toMatch(
      new RegExp(`^Slow commands: HGETALL user:\\{t\\{n\\}\\}:events tops SLOWLOG \\(3 entries, max [\\d.]+ ms\\) on ${node.address}$`),
    )
    expect(slow?.evidence.join('\n')).toContain('pattern HGETALL user:{t{n}}:events: 3 entries')
    expect(slow?.nodes).toContain(node.address)
    await redis.call('DEL', key)
  })

  it('server-latency-events: DEBUG SLEEP with the monitor on is recorded and reported', async () => {
    const node = masters[1]
    const redis = client(node.address)
    await redis.call('CONFIG', 'SET', 'latency-monitor-threshold', '10')
    await redis.call('DEBUG', 'SLEEP', '0.05')
    const report = await probe(lab.seed)
    const events = finding(report, 'server-latency-events')
    expect(events?.severity).toBe('warning')
    expect(events?.title).toMatch(new RegExp(`^Server latency spikes: command up to (\\d+) ms on ${node.address}`))
    expect(Number(events?.metrics?.maxMs)).toBeGreaterThanOrEqual(50)
    expect(events?.evidence.join('\n')).toContain(`${node.address}: latency-monitor-threshold 10 ms`)
    expect(events?.nodes).toEqual([node.address])
  })

  it('fork-latency: a BGSAVE of a populated node reports its fork time', async () => {
    const node = masters[2]
    const redis = client(node.address)
    await redis.call('DEBUG', 'POPULATE', '50000', `{${tagOn(node, 'f')}}:k`, '64')
    await redis.call('BGSAVE')
    await until('BGSAVE to finish', async () => (await infoField(redis, 'persistence', 'rdb_bgsave_in_progress')) === '0')
    const usec = Number(await infoField(redis, 'stats', 'latest_fork_usec'))
    expect(usec).toBeGreaterThan(0)
    const report = await probe(lab.seed)
    const fork = finding(report, 'fork-latency')
    expect(fork, JSON.stringify(report.findings)).toBeDefined()
    expect(fork?.nodes).toContain(node.address)
    expect(fork?.evidence.join('\n')).toContain(
      `${node.address} (master): last fork ${Number((usec / 1000).toFixed(2))} ms (latest_fork_usec ${usec}); used memory`,
    )
    expect(fork?.metrics?.maxForkMs).toBeGreaterThanOrEqual(usec / 1000)
    expect(['info', 'warning', 'critical']).toContain(fork?.severity)
    await redis.call('FLUSHALL')
  })

  it('node-imbalance: --sample sees one master hammered while the others idle', async () => {
    const node = masters[1]
    const redis = client(node.address)
    const key = `{${tagOn(node, 'h')}}:hot`
    let running = true
    let ops = 0
    const hammer = (async () => {
      while (running) {
        const pipeline = redis.pipeline()
        for (let i = 0; i < 100; i++) pipeline.get(key)
        await pipeline.exec()
        ops += 100
      }
    })()
    try {
      const report = await probe(lab.seed, '--sample', '2s')
      const imbalance = finding(report, 'node-imbalance')
      expect(imbalance, JSON.stringify(report.findings)).toBeDefined()
      expect(imbalance?.severity).toBe('warning')
      expect(imbalance?.title).toMatch(new RegExp(`^Hot node: ${node.address} serves \\d+(\\.\\d+)? ops/s`))
      expect(imbalance?.metrics?.hotOpsPerSec).toBeGreaterThan(100)
      expect(imbalance?.nodes).toEqual([node.address])
    } finally {
      running = false
      await hammer
    }
    expect(ops).toBeGreaterThan(1000)
  })

  it('recent-failover: CLUSTER FAILOVER on a replica is reported with the promoted node', async () => {
    const replica = lab.state.nodes.find((n) => n.role === 'replica')!
    const redis = client(replica.address)
    await redis.call('CLUSTER', 'FAILOVER')
    await until('the replica to become master', async () => (await infoField(redis, 'replication', 'role')) === 'master')
    const report = await probe(lab.seed)
    const failover = finding(report, 'recent-failover')
    expect(failover, JSON.stringify(report.findings)).toBeDefined()
    expect(failover?.severity).toBe('warning')
    expect(failover?.nodes).toContain(replica.address)
    expect(failover?.evidence.join('\n')).toContain(`${replica.address} (master): promoted from replica since it started`)
    expect(failover?.metrics?.mastersPromotedRecently).toBe(1)
  })
})

describe('rules on real standalone servers', () => {
  let limited: Lab
  let small: Lab
  const open: Redis[] = []

  beforeAll(async () => {
    ;[limited, small] = await Promise.all([
      withLab({standalone: true, config: [['maxclients', '20']]}),
      withLab({
        standalone: true,
        config: [
          ['maxmemory', '2mb'],
          ['maxmemory-policy', 'allkeys-lru'],
        ],
      }),
    ])
  })
  afterAll(async () => {
    for (const redis of open) redis.disconnect()
    await Promise.all([limited?.stop(), small?.stop()])
  })

  it('client-limit: connections beyond maxclients 20 are rejected and reported', async () => {
    const pool = Array.from({length: 25}, () => {
      const redis = connect(limited.seed, {name: 'pool'})
      redis.on('error', () => {})
      open.push(redis)
      return redis
    })
    const answered = await Promise.all(
      pool.map((r) =>
        r.ping().then(
          () => true,
          () => false,
        ),
      ),
    )
    const accepted = pool.filter((_, i) => answered[i])
    expect(accepted.length).toBeLessThan(25)
    // Free room for rcdiag itself, keep 16 open: 17 of 20 with the probe, over 80%.
    for (const redis of accepted.slice(16)) redis.disconnect()
    await sleep(100)
    const report = await probe(limited.seed)
    const limit = finding(report, 'client-limit')
    expect(limit, JSON.stringify(report.findings)).toBeDefined()
    expect(limit?.severity).toBe('warning')
    expect(limit?.metrics?.rejectedConnections).toBeGreaterThanOrEqual(25 - accepted.length)
    expect(limit?.metrics?.maxclients).toBe(20)
    expect(limit?.evidence[0]).toMatch(
      /: \d+\/20 clients connected \(\d+(\.\d)?% of maxclients\), \d+ connection\(s\) rejected since start$/,
    )
    for (const redis of pool) redis.disconnect()
  })

  it('memory-pressure: writes beyond maxmemory 2mb evict, and the sample gives the rate', async () => {
    const redis = connect(small.seed)
    open.push(redis)
    const value = 'v'.repeat(1024)
    let n = 0
    const fill = async (count: number) => {
      const pipeline = redis.pipeline()
      for (let i = 0; i < count; i++) pipeline.set(`cache:${n++}`, value)
      await pipeline.exec()
    }
    await until('evictions', async () => {
      await fill(500)
      return Number(await infoField(redis, 'stats', 'evicted_keys')) > 0
    })
    let running = true
    const writer = (async () => {
      while (running) await fill(200)
    })()
    try {
      const report = await probe(small.seed, '--sample', '1s')
      const memory = finding(report, 'memory-pressure')
      expect(memory, JSON.stringify(report.findings)).toBeDefined()
      expect(memory?.severity).toBe('warning')
      expect(memory?.title).toMatch(new RegExp(`^Evicting keys: [\\d.]+/s on ${small.seed}`))
      expect(memory?.metrics?.evictedKeysPerSec).toBeGreaterThan(0)
      expect(memory?.evidence[0]).toMatch(
        /of maxmemory 2 MB \([\d.]+%\), policy allkeys-lru, \d+ key\(s\) evicted since start, [\d.]+ evicted\/s during the sample/,
      )
    } finally {
      running = false
      await writer
    }
  })
})
