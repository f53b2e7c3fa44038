/**
 * Every server rcdiag supports, for real: a 3+3 lab of each binary under ../shared/servers (Redis
 * 6.0.20, 6.2.16, 7.2.6, 7.4.1, Valkey 7.2.7 and 8.0.1; RCDIAG_SERVERS_DIR overrides the folder) and
 * of the redis-server on PATH, each with `timeout 2`. Known traffic is provoked during a
 * `probe --sample` (MOVED replies, CLUSTER SLOTS and CONFIG GET on fresh connections) and the
 * numbers are checked against it: right where the server can count, null (never 0) where it cannot.
 * The folder is not on a user's machine: then only the redis-server on PATH runs.
 *
 * With RCDIAG_COMPAT=1 (`npm run test:compat`) each lab also gets the slower checks: `slowlog` on
 * known slow-logged commands and a short `replay --client all` across an idle gap longer than the
 * server timeout. With RCDIAG_REQUIRE_SERVERS=1 a missing folder, or one without all six binaries,
 * fails the run instead of quietly testing less. Each test annotates what the server gave (shown by
 * `--reporter=verbose`, which test:compat uses).
 */
import {accessSync, constants, existsSync, readdirSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import calculateSlot from 'cluster-key-slot'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ReplayReport} from '../../src/lib/replay/report.js'
import type {ProbeReport} from '../../src/lib/report/probe-report.js'
import type {SlowlogReport} from '../../src/lib/slowlog/report.js'
import {connect, sleep, startAfterFirstSnapshot} from '../helpers/clients.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {withLab} from '../helpers/lab.js'
import {schemaErrors} from '../helpers/schema.js'

type Lab = Awaited<ReturnType<typeof withLab>>

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SERVERS_DIR = process.env.RCDIAG_SERVERS_DIR ?? resolve(ROOT, '../shared/servers')
/** The slower checks (slowlog, replay) run only in `npm run test:compat`. */
const COMPAT = process.env.RCDIAG_COMPAT === '1'
/** `npm run test:compat`: the whole matrix or a failure, never a quietly shorter one. */
const REQUIRE_SERVERS = process.env.RCDIAG_REQUIRE_SERVERS === '1'
/** The binaries the folder must hold when they are required. */
const REQUIRED_SERVERS = ['redis-6.0.20', 'redis-6.2.16', 'redis-7.2.6', 'redis-7.4.1', 'valkey-7.2.7', 'valkey-8.0.1']

/** Each binary under the folder, with what its INFO server must say. */
function binaries(): Array<{name: string; bin?: string; vendor: string; version?: string}> {
  const found: Array<{name: string; bin?: string; vendor: string; version?: string}> = [{name: 'redis-server on PATH', vendor: 'redis'}]
  if (!existsSync(SERVERS_DIR)) return found
  for (const dir of readdirSync(SERVERS_DIR).sort()) {
    const match = /^(redis|valkey)-(\d+\.\d+\.\d+)$/.exec(dir)
    if (!match) continue
    const bin = join(SERVERS_DIR, dir, `${match[1]}-server`)
    if (existsSync(bin)) found.push({name: dir, bin, vendor: match[1], version: match[2]})
  }
  return found
}

const before = (version: string | undefined, major: number, minor: number) => {
  if (!version) return false
  const [a, b] = version.split('.').map(Number)
  return a < major || (a === major && b < minor)
}

/** The required binaries that are missing or not executable, with the reason. */
function missingServers(): string[] {
  if (!existsSync(SERVERS_DIR)) return [`${SERVERS_DIR}: no such folder`]
  return REQUIRED_SERVERS.flatMap((dir) => {
    const bin = join(SERVERS_DIR, dir, `${dir.split('-')[0]}-server`)
    try {
      accessSync(bin, constants.X_OK)
      return []
    } catch {
      return [`${bin}: missing or not executable`]
    }
  })
}

it.runIf(REQUIRE_SERVERS)('RCDIAG_REQUIRE_SERVERS=1: the servers folder holds all six binaries', () => {
  expect(missingServers(), `RCDIAG_SERVERS_DIR=${SERVERS_DIR}`).toEqual([])
})

describe.each(binaries())('$name', ({name, bin, vendor, version}) => {
  let lab: Lab
  const masters = () => lab.state.nodes.filter((n) => n.role === 'master')
  /** The master that owns a key's slot in the lab as formed. */
  const ownerOf = (key: string) => {
    const slot = calculateSlot(key)
    return masters().find((n) => n.slots && n.slots[0] <= slot && slot <= n.slots[1])!
  }

  beforeAll(async () => {
    lab = await withLab({masters: 3, replicas: 1, timeoutSec: 2, serverBin: bin})
  })
  afterAll(async () => lab?.stop())

  it('probe names the server, counts exactly what was provoked, and null what the server cannot count', async ({annotate}) => {
    // Once the first snapshot is taken (the sample then waits 3 s), provoke known traffic.
    const {running: probe} = await startAfterFirstSnapshot(
      lab.state.nodes.map((n) => n.address),
      () => runCli(['probe', lab.seed, '--json', '--sample', '3s']),
    )
    const owner = ownerOf('moved-key')
    const wrong = connect(masters().find((n) => n !== owner)!.address)
    for (let i = 0; i < 20; i++) await wrong.get('moved-key').catch(() => undefined) // 20 MOVED replies
    wrong.disconnect()
    for (let i = 0; i < 5; i++) {
      const fresh = connect(owner.address)
      await fresh.call('CLUSTER', 'SLOTS')
      await fresh.call('CONFIG', 'GET', 'cluster-require-full-coverage')
      fresh.disconnect()
    }
    const result = await probe
    expect(result.code, result.stderr).toBe(0)
    const report = parseJson<ProbeReport>(result)
    expect(schemaErrors('probe.schema.json', report)).toBe('')

    // The server, named
    expect(report.servers).toHaveLength(1)
    expect(report.servers[0]).toMatchObject({vendor, nodes: 6, ...(version ? {version} : {})})
    expect(report.nodes.every((n) => n.server?.vendor === vendor)).toBe(true)

    // What was provoked, counted; seconds as the sample measured them
    const seconds = report.sample!.durationMs / 1000
    const count = (perSec: number | null) => (perSec === null ? null : Math.round(perSec * seconds))
    const cluster = report.sample!.cluster
    const old = before(version, 6, 2)
    expect(count(cluster.movedPerSec)).toBe(old ? null : 20)
    expect(cluster.movedPerSec === null).toBe(old)
    expect(count(cluster.configGetPerSec)).toBe(5)
    // Redis < 7 counts CLUSTER as a whole: the 5 CLUSTER SLOTS are all the CLUSTER calls there were
    expect(count(cluster.topologyCallsPerSec)).toBe(5)
    expect(count(cluster.newConnectionsPerSec)).toBeGreaterThanOrEqual(6)

    // What the server cannot tell is said, and is no missing permission
    const unsupported = report.skipped.filter((s) => s.kind === 'unsupported').map((s) => s.check)
    expect(unsupported.sort()).toEqual(
      [...(old ? ['errorstats'] : []), ...(before(version, 7, 0) ? ['commandstats', 'latencystats'] : [])].sort(),
    )
    expect(report.skipped.filter((s) => s.kind !== 'unsupported')).toEqual([])
    expect(report.findings.map((f) => f.id)).not.toContain('config-unreadable')
    await annotate(
      `${name}: ${report.servers[0].vendor} ${report.servers[0].version}; over ${seconds} s: MOVED ${count(cluster.movedPerSec)}, ` +
        `CONFIG GET ${count(cluster.configGetPerSec)}, topology calls ${count(cluster.topologyCallsPerSec)}, ` +
        `new connections ${count(cluster.newConnectionsPerSec)}; unsupported: ${unsupported.join(', ') || 'none'}`,
    )
  })

  it.runIf(COMPAT)(
    'slowlog merges every node, counts the provoked pattern, and leaves out replication and rcdiag entries',
    async ({annotate}) => {
      const apps = new Map(masters().map((n) => [n.address, connect(n.address, {name: 'compat-app'})]))
      const thresholds = new Map<string, string>()
      try {
        // Our lab: log every command on the masters (replicas keep the default threshold).
        for (const [address, app] of apps) {
          thresholds.set(address, ((await app.config('GET', 'slowlog-log-slower-than')) as string[])[1])
          await app.config('SET', 'slowlog-log-slower-than', '0')
        }
        // rcdiag's own reads land in the logs too: the report must leave them out
        const probe = await runCli(['probe', lab.seed, '--json'])
        expect(probe.code, probe.stderr).toBe(0)
        // 6 HSET and 6 HGETALL on compat:<id>:profile, each on the master that owns the key
        const expectedNodes = new Set<string>()
        for (let id = 1; id <= 6; id++) {
          const key = `compat:${id}:profile`
          const owner = ownerOf(key).address
          expectedNodes.add(owner)
          await apps.get(owner)!.hset(key, 'name', `user ${id}`, 'email', `u${id}@example.com`)
          await apps.get(owner)!.hgetall(key)
        }
        await sleep(1100) // replicas send REPLCONF ACK every second: the masters' logs surely hold some

        const result = await runCli(['slowlog', lab.seed, '--json'])
        expect(result.code, result.stderr).toBe(0)
        const report = parseJson<SlowlogReport>(result)
        expect(schemaErrors('slowlog.schema.json', report)).toBe('')

        // every node answered, every SLOWLOG was read
        expect(report.mode).toBe('cluster')
        expect(report.nodes).toHaveLength(6)
        expect(report.nodes.filter((n) => !n.reachable || n.error !== null || n.skipped !== null)).toEqual([])
        expect(
          report.nodes
            .filter((n) => n.role === 'master')
            .map((n) => n.address)
            .sort(),
        ).toEqual([...apps.keys()].sort())
        expect(report.nodes.filter((n) => n.role === 'replica')).toHaveLength(3)

        // the provoked patterns, counted exactly, on the nodes that own the keys
        const group = (key: string) => report.groups.find((g) => g.key === key)
        const hset = group('HSET compat:{n}:profile …')
        const hgetall = group('HGETALL compat:{n}:profile')
        expect(hset, report.groups.map((g) => g.key).join('\n')).toMatchObject({count: 6, nodes: [...expectedNodes].sort()})
        expect(hgetall, report.groups.map((g) => g.key).join('\n')).toMatchObject({count: 6, nodes: [...expectedNodes].sort()})
        // and nothing else is shown: the provoked 12 and the CONFIG SET that turned logging on, per master
        const provoked = report.entries.filter((e) => e.pattern.includes('compat:{n}:profile'))
        expect(provoked).toHaveLength(12)
        expect(report.entries.filter((e) => !provoked.includes(e)).map((e) => e.command)).toEqual([
          'CONFIG SET',
          'CONFIG SET',
          'CONFIG SET',
        ])
        expect(report.entries.every((e) => e.clientName === 'compat-app')).toBe(true)

        // replication traffic and rcdiag's own reads were in the logs, and are left out
        expect(report.entries.filter((e) => ['REPLCONF', 'PSYNC', 'SYNC'].includes(e.command.split(' ')[0]))).toEqual([])
        expect(report.entries.filter((e) => e.clientName.startsWith('rcdiag'))).toEqual([])
        expect(report.filters.replicationEntriesExcluded).toBeGreaterThan(0)
        expect(report.filters.ownEntriesExcluded).toBeGreaterThan(0)
        expect(report.histogram.reduce((sum, b) => sum + b.count, 0)).toBe(report.entries.length)
        await annotate(
          `${name}: HSET ${hset?.count}, HGETALL ${hgetall?.count} on ${hset?.nodes.length} masters; ` +
            `${report.entries.length} entries shown, ${report.filters.replicationEntriesExcluded} replication and ` +
            `${report.filters.ownEntriesExcluded} rcdiag entries left out; ${report.nodes.filter((n) => n.reachable).length}/6 nodes`,
        )
      } finally {
        for (const [address, app] of apps) {
          await app.config('SET', 'slowlog-log-slower-than', thresholds.get(address) ?? '10000').catch(() => undefined)
          app.disconnect()
        }
      }
    },
    60_000,
  )

  it.runIf(COMPAT)(
    'replay --client all across an idle gap longer than the server timeout: every model, every counter the server has',
    async ({annotate}) => {
      const result = await runCli(
        [
          'replay',
          lab.seed,
          '--json',
          '--client',
          'all',
          // 2 s past the server timeout: the server checks idle clients about once a second, later
          // on a loaded machine (a 1 s margin once left refresh-on-error's connections open on Valkey 7.2)
          '--idle',
          '4s',
          '--cycles',
          '1',
          '--steady-bursts',
          '1',
          '--burst',
          '10',
          '--concurrency',
          '4',
          '--keys',
          '50',
        ],
        {timeoutMs: 150_000},
      )
      expect(result.code, result.stderr).toBe(0)
      const report = parseJson<ReplayReport>(result)
      expect(schemaErrors('replay.schema.json', report)).toBe('')

      expect(report.servers).toHaveLength(1)
      expect(report.servers[0]).toMatchObject({vendor, nodes: 6, ...(version ? {version} : {})})
      expect(report.cluster).toMatchObject({masters: 3, replicas: 3, serverTimeoutSec: 2})
      expect(report.keys).toMatchObject({mode: 'created', count: 50, removed: true, remaining: 0})
      expect(report.runs.map((r) => r.client)).toEqual(['ioredis', 'refresh-on-error', 'single-flight'])

      const noSlotsCalls = before(version, 7, 0)
      const noMoved = before(version, 6, 2)
      for (const run of report.runs) {
        expect(
          run.phases.map((p) => `${p.name}:${p.cycle}`),
          run.client,
        ).toEqual(['warmup:0', 'post-idle:1', 'steady:1'])
        for (const phase of run.phases) {
          const where = `${run.client} ${phase.name}`
          expect(phase.ops, where).toBe(10 * 4) // --burst x --concurrency
          if (phase.name === 'steady') expect(phase.errors, where).toBe(0)
          expect(phase.server, where).not.toBeNull()
          expect(phase.server!.clusterSlotsCalls === null, where).toBe(noSlotsCalls)
          if (!noSlotsCalls) expect(phase.server!.clusterSlotsCalls, where).toBeTypeOf('number')
          expect(phase.server!.moved === null, where).toBe(noMoved)
          if (!noMoved) expect(phase.server!.moved, where).toBeTypeOf('number')
        }
      }

      // the incident: timeout 2 s < idle 4 s, so refresh-on-error re-reads the slot map after the gap
      const post = report.runs.find((r) => r.client === 'refresh-on-error')!.phases.find((p) => p.name === 'post-idle')!
      expect(post.refreshes).toBeGreaterThan(0)
      expect(post.server!.topologyCalls).toBeGreaterThan(0)
      // each refresh is a new connection, CLUSTER SLOTS and CONFIG GET on each of the 6 nodes, and the
      // server counts exactly that (before 7.0 as CLUSTER calls, rcdiag's own subtracted)
      expect(post.server!.topologyCalls).toBe(post.refreshes * 6)
      expect(post.server!.configGetCalls).toBe(post.refreshes * 6)
      if (!noSlotsCalls) expect(post.server!.clusterSlotsCalls).toBe(post.refreshes * 6)
      expect(post.server!.newConnections).toBeGreaterThanOrEqual(post.refreshes * 6)
      // a refresh follows a MOVED; where the server counts MOVED it counts the ones the client saw
      expect(post.moved).toBeGreaterThan(0)
      if (!noMoved) expect(post.server!.moved).toBe(post.moved)
      await annotate(
        `${name}: ` +
          report.runs
            .map((run) =>
              run.phases
                .map(
                  (p) =>
                    `${run.client} ${p.name}: ops ${p.ops} err ${p.errors} refreshes ${p.refreshes} moved ${p.moved} ` +
                    `srv topology ${p.server?.topologyCalls} slots ${p.server?.clusterSlotsCalls} ` +
                    `config ${p.server?.configGetCalls} moved ${p.server?.moved} newconn ${p.server?.newConnections}`,
                )
                .join('; '),
            )
            .join(' | ') +
          `; keys remaining ${report.keys.remaining}`,
      )
    },
    180_000,
  )
})
