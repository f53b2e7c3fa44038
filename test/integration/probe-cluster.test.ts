/**
 * Starts real 3-master/3-replica lab clusters (same code as `rcdiag lab up`) on free loopback ports
 * and runs the built CLI against them.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ProbeReport} from '../../src/lib/report/probe-report.js'
import {connect, startRefreshStorm} from '../helpers/clients.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {withLab} from '../helpers/lab.js'
import {schemaErrors} from '../helpers/schema.js'

type Lab = Awaited<ReturnType<typeof withLab>>
const severe = (findings: Array<{severity: string}>) => findings.filter((f) => f.severity !== 'info')

describe('probe: cluster with timeout 2', () => {
  let lab: Lab
  beforeAll(async () => {
    lab = await withLab({masters: 3, replicas: 1, timeoutSec: 2, tcpKeepaliveSec: 300})
  })
  afterAll(async () => lab?.stop())

  it('reports all 6 nodes, their timeout, full coverage and idle-timeout-reconnect', async () => {
    const result = await runCli(['probe', lab.seed, '--json'])
    expect(result.code, result.stderr).toBe(0)
    const report = parseJson<ProbeReport>(result)
    expect(schemaErrors('probe.schema.json', report)).toBe('')
    expect(report.nodes).toHaveLength(6)
    expect(report.nodes.every((n) => n.reachable && n.config.timeout === 2)).toBe(true)
    expect(report.nodes.filter((n) => n.role === 'master')).toHaveLength(3)
    expect(report.cluster).toMatchObject({state: 'ok', slotsCovered: 16384, masters: 3, replicas: 3})
    expect(report.nodes.every((n) => n.rttMs !== null && n.rttMs > 0 && n.topologyCallMs !== null && n.topologyCallMs > 0)).toBe(true)
    const idle = report.findings.find((f) => f.id === 'idle-timeout-reconnect')
    expect(idle).toBeDefined()
    expect(idle?.severity).toBe('warning')
    expect(idle?.evidence.join('\n')).toMatch(/timeout/)
  })

  it('renders the human report with the nodes table and the finding', async () => {
    const result = await runCli(['probe', lab.seed])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('Most likely cause')
    expect(result.stdout).toContain('idle-timeout-reconnect')
    for (const node of lab.state.nodes) expect(result.stdout).toContain(node.address)
    expect(result.stderr).toBe('') // no spinner when stderr is not a TTY
  })
})

describe('probe: healthy cluster (timeout 0, tcp-keepalive 300)', () => {
  let lab: Lab
  beforeAll(async () => {
    lab = await withLab({masters: 3, replicas: 1, timeoutSec: 0, tcpKeepaliveSec: 300})
  })
  afterAll(async () => lab?.stop())

  it('yields no warning or critical finding', async () => {
    const report = parseJson<ProbeReport>(await runCli(['probe', lab.seed, '--json']))
    expect(severe(report.findings)).toEqual([])
    expect(report.nodes.every((n) => n.config.timeout === 0 && n.config['tcp-keepalive'] === 300)).toBe(true)
  })

  it('reports idle ages of pooled connections, leaving its own out', async () => {
    const address = lab.state.nodes[0].address
    const pool = Array.from({length: 5}, () => connect(address, {name: 'app-pool'}))
    try {
      await Promise.all(pool.map((r) => r.ping()))
      await new Promise((resolve) => setTimeout(resolve, 2200))
      const report = parseJson<ProbeReport>(await runCli(['probe', lab.seed, '--json']))
      const node = report.nodes.find((n) => n.address === address)
      const group = node?.clients?.topGroups.find((g) => g.name === 'app-pool')
      expect(group?.count).toBe(5)
      expect(group?.idleMax).toBeGreaterThanOrEqual(2)
      expect(node?.clients?.idle.max).toBeGreaterThanOrEqual(2)
      expect(node?.clients?.topGroups.some((g) => g.name === 'rcdiag')).toBe(false)
    } finally {
      for (const r of pool) r.disconnect()
    }
  })

  it('--sample sees a refresh storm and connection churn', async () => {
    const storm = startRefreshStorm(lab.state.nodes[1].address, 30)
    try {
      const result = await runCli(['probe', lab.seed, '--json', '--sample', '3s'])
      expect(result.code, result.stderr).toBe(0)
      const report = parseJson<ProbeReport>(result)
      expect(schemaErrors('probe.schema.json', report)).toBe('')
      expect(report.sample?.durationMs).toBeGreaterThanOrEqual(2900)
      expect(report.sample?.cluster.topologyCallsPerSec).toBeGreaterThan(3)
      expect(report.sample?.cluster.newConnectionsPerSec).toBeGreaterThan(3)
      expect(report.sample?.cluster.configGetPerSec).toBeGreaterThan(3)
      const ids = report.findings.map((f) => f.id)
      expect(ids).toContain('topology-refresh-storm')
      expect(ids).toContain('connection-churn')
    } finally {
      expect(await storm.stop()).toBeGreaterThan(10)
    }
  })

  it('--sample on a quiet cluster reads zero after subtracting its own calls', async () => {
    const report = parseJson<ProbeReport>(await runCli(['probe', lab.seed, '--json', '--sample', '1s']))
    expect(report.sample?.cluster.newConnectionsPerSec).toBe(0)
    expect(report.sample?.cluster.topologyCallsPerSec).toBe(0)
    expect(report.sample?.cluster.configGetPerSec).toBe(0)
    expect(severe(report.findings)).toEqual([])
  })

  it('a slot set MIGRATING yields slot-migration', async () => {
    const [source, target] = lab.state.nodes.filter((n) => n.role === 'master')
    const src = connect(source.address)
    const dst = connect(target.address)
    try {
      const dstId = String(await dst.call('CLUSTER', 'MYID'))
      const srcId = String(await src.call('CLUSTER', 'MYID'))
      const slot = 100 // owned by the first master
      await dst.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', srcId)
      await src.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', dstId)
      const report = parseJson<ProbeReport>(await runCli(['probe', lab.seed, '--json']))
      const finding = report.findings.find((f) => f.id === 'slot-migration')
      expect(finding).toBeDefined()
      expect(finding?.evidence.join(' ')).toContain('100')
      await src.call('CLUSTER', 'SETSLOT', slot, 'STABLE')
      await dst.call('CLUSTER', 'SETSLOT', slot, 'STABLE')
    } finally {
      src.disconnect()
      dst.disconnect()
    }
  })
})

describe('probe: a master dies', () => {
  let lab: Lab
  beforeAll(async () => {
    lab = await withLab({masters: 3, replicas: 1, clusterNodeTimeoutMs: 1000})
  })
  afterAll(async () => lab?.stop())

  it('marks it unreachable, then, once its replica has taken over, shows the failover', async () => {
    const victim = lab.state.nodes.find((n) => n.role === 'master' && n.address !== lab.seed)!
    const replica = lab.state.nodes.find((n) => n.replicaOf === victim.address)!
    process.kill(victim.pid, 'SIGKILL')
    const first = parseJson<ProbeReport>(await runCli(['probe', lab.seed, '--json']))
    const dead = first.nodes.find((n) => n.address === victim.address)
    expect(dead?.reachable).toBe(false)
    expect(dead?.error).toMatch(/refused/)
    expect(first.nodes.filter((n) => n.reachable)).toHaveLength(5)
    expect(first.findings.map((f) => f.id)).toContain('cluster-state-fail')

    // Wait for the condition, not for a time: the replica promoted and the seed's cluster ok again.
    await waitFor('the replica to take over', 20_000, async () => {
      const [role, state] = await Promise.all([
        infoField(replica.address, 'INFO', 'role'),
        infoField(lab.seed, 'CLUSTER INFO', 'cluster_state'),
      ])
      return role === 'master' && state === 'ok'
    })
    const later = parseJson<ProbeReport>(await runCli(['probe', lab.seed, '--json']))
    expect(later.cluster).toMatchObject({state: 'ok', slotsCovered: 16384})
    const promoted = later.nodes.find((n) => n.address === replica.address)
    expect(promoted).toMatchObject({reachable: true, role: 'master'})
    expect(promoted?.slots).toBeGreaterThan(0)
    expect(later.nodes.filter((n) => n.reachable && n.role === 'master')).toHaveLength(3)
    expect(later.nodes.find((n) => n.address === victim.address)?.reachable).toBe(false)
    expect(later.findings.map((f) => f.id)).toContain('recent-failover')
  })
})

/** One field of INFO or CLUSTER INFO of one node, on a short-lived connection; undefined when it does not answer. */
async function infoField(address: string, command: 'INFO' | 'CLUSTER INFO', field: string): Promise<string | undefined> {
  const redis = connect(address)
  try {
    const text = String(command === 'INFO' ? await redis.info('replication') : await redis.call('CLUSTER', 'INFO'))
    return new RegExp(`^${field}:(\\S+)`, 'm').exec(text)?.[1]
  } catch {
    return undefined
  } finally {
    redis.disconnect()
  }
}

async function waitFor(what: string, timeoutMs: number, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
