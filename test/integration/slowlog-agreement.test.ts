/**
 * probe and slowlog read SLOWLOG through one reader and leave out the same internal entries
 * (replication traffic and rcdiag's own). Starts one real lab (3 masters, 1 replica each) that logs
 * every command while an application and the replicas talk to it, then freezes the logs (a
 * threshold nothing reaches) and compares, node by node, what both commands report.
 */
import type {Redis} from 'ioredis'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {SlowlogSummary} from '../../src/lib/evidence/types.js'
import type {NodeReport, ProbeReport} from '../../src/lib/report/probe-report.js'
import type {SlowlogReport} from '../../src/lib/slowlog/report.js'
import {connect, sleep} from '../helpers/clients.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {withLab} from '../helpers/lab.js'

type Lab = Awaited<ReturnType<typeof withLab>>

/** A node's SLOWLOG summary in the probe report; throws when it has none (unreachable, SLOWLOG refused). */
function summaryOf(node: NodeReport): SlowlogSummary {
  if (!node.slowlog) throw new Error(`${node.address}: no SLOWLOG summary in the probe report`)
  return node.slowlog
}

describe('probe and slowlog agree on one cluster', () => {
  let lab: Lab
  let clients: Redis[]
  let probe: ProbeReport
  let slowlog: SlowlogReport

  beforeAll(async () => {
    lab = await withLab({masters: 3, replicas: 1, config: [['slowlog-log-slower-than', '0']]})
    clients = lab.state.nodes.map((n) => connect(n.address, {name: 'app'}))
    for (const redis of clients) {
      for (const id of [1, 2, 3, 4]) await redis.hmget(`user:${id}:profile`, 'name').catch(() => undefined) // MOVED is logged too
    }
    // rcdiag's own reads land in the logs as well, and the replicas' REPLCONF ACK every second
    expect((await runCli(['probe', lab.seed, '--json'])).code).toBe(0)
    await sleep(1500)
    // From here on nothing is slow enough to be logged: both commands read the same logs.
    for (const redis of clients) await redis.config('SET', 'slowlog-log-slower-than', '10000000')
    probe = parseJson<ProbeReport>(await runCli(['probe', lab.seed, '--json']))
    slowlog = parseJson<SlowlogReport>(await runCli(['slowlog', lab.seed, '--json']))
  })

  afterAll(async () => {
    for (const redis of clients ?? []) redis.disconnect()
    await lab?.stop()
  })

  it('the logs hold workload, replication and rcdiag entries', () => {
    expect(slowlog.filters.replicationEntriesExcluded).toBeGreaterThan(0)
    expect(slowlog.filters.ownEntriesExcluded).toBeGreaterThan(0)
    expect(slowlog.entries.length).toBeGreaterThan(0)
    expect(slowlog.entries.some((e) => ['REPLCONF', 'PSYNC', 'SYNC'].includes(e.command) || e.clientName.startsWith('rcdiag'))).toBe(false)
  })

  it('node by node: the same workload entries, the same internal ones, the same patterns', () => {
    const internal = probe.nodes.reduce((sum, n) => sum + summaryOf(n).internalEntries, 0)
    expect(internal).toBe(slowlog.filters.replicationEntriesExcluded + slowlog.filters.ownEntriesExcluded)
    for (const node of probe.nodes) {
      const summary = summaryOf(node)
      const entries = slowlog.entries.filter((e) => e.node === node.address)
      const fromSlowlog = slowlog.nodes.find((n) => n.address === node.address)
      expect(summary.read, node.address).toBe(entries.length)
      expect(summary.read, node.address).toBe(fromSlowlog?.matched)
      expect(summary.length + summary.internalEntries, node.address).toBe(fromSlowlog?.length)
      const counts = new Map<string, number>()
      for (const entry of entries) counts.set(entry.pattern, (counts.get(entry.pattern) ?? 0) + 1)
      // the same top patterns, as many as there are (up to the summary's five)
      expect(summary.topPatterns.length, node.address).toBe(Math.min(5, counts.size))
      for (const {pattern, count} of summary.topPatterns) expect(counts.get(pattern), `${node.address} ${pattern}`).toBe(count)
    }
  })
})
