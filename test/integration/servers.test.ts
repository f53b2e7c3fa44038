/**
 * Every server rcdiag supports, for real: a 3+3 lab of each binary under ../shared/servers (Redis
 * 6.0.20, 6.2.16, 7.2.6, 7.4.1, Valkey 7.2.7 and 8.0.1; RCDIAG_SERVERS_DIR overrides the folder) and
 * of the redis-server on PATH, each with `timeout 2`. Known traffic is provoked during a
 * `probe --sample` (MOVED replies, CLUSTER SLOTS and CONFIG GET on fresh connections) and the
 * numbers are checked against it: right where the server can count, null (never 0) where it cannot.
 * The folder is not on a user's machine: then only the redis-server on PATH runs.
 */
import {existsSync, readdirSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import calculateSlot from 'cluster-key-slot'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ProbeReport} from '../../src/lib/report/probe-report.js'
import {connect} from '../helpers/clients.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {withLab} from '../helpers/lab.js'
import {schemaErrors} from '../helpers/schema.js'

type Lab = Awaited<ReturnType<typeof withLab>>

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SERVERS_DIR = process.env.RCDIAG_SERVERS_DIR ?? resolve(ROOT, '../shared/servers')

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

describe.each(binaries())('$name', ({bin, vendor, version}) => {
  let lab: Lab

  beforeAll(async () => {
    lab = await withLab({masters: 3, replicas: 1, timeoutSec: 2, serverBin: bin})
  })
  afterAll(async () => lab?.stop())

  it('probe names the server, counts exactly what was provoked, and null what the server cannot count', async () => {
    const probe = runCli(['probe', lab.seed, '--json', '--sample', '3s'])
    // Once the first snapshot is surely taken (the sample waits 3 s), provoke known traffic.
    await new Promise((resolve) => setTimeout(resolve, 1200))
    const masters = lab.state.nodes.filter((n) => n.role === 'master')
    const owner = masters.find((n) => n.slots && n.slots[0] <= calculateSlot('moved-key') && calculateSlot('moved-key') <= n.slots[1])!
    const wrong = connect(masters.find((n) => n !== owner)!.address)
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
  })
})
