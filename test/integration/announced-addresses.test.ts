/**
 * Clusters whose announced addresses do not lead to their nodes from here, on real labs: nodes that
 * listen on 127.0.0.1 and announce 127.0.0.2 (cluster-announce-ip), nodes that announce other ports
 * (cluster-announce-port, the bus port announced as it is so the cluster stays ok), and ports
 * rotated so that each announced address leads to another node (CLUSTER MYID differs). probe,
 * slowlog and replay say so first, never call the cluster down, and `--nat-map` makes them work.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ProbeReport} from '../../src/lib/report/probe-report.js'
import type {ReplayReport} from '../../src/lib/replay/report.js'
import type {SlowlogReport} from '../../src/lib/slowlog/report.js'
import {connect, sleep} from '../helpers/clients.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {withLab} from '../helpers/lab.js'
import {schemaErrors} from '../helpers/schema.js'

type Lab = Awaited<ReturnType<typeof withLab>>

/** CONFIG SET on every node, then wait until the seed's CLUSTER NODES shows what `settled` wants. */
async function announce(lab: Lab, settings: (port: number) => Array<[string, string]>, settled: (nodesText: string) => boolean) {
  for (const node of lab.state.nodes) {
    const redis = connect(node.address)
    for (const [key, value] of settings(node.port)) await redis.call('CONFIG', 'SET', key, value)
    redis.disconnect()
  }
  const seed = connect(lab.seed)
  try {
    for (let i = 0; i < 100 && !settled(String(await seed.call('CLUSTER', 'NODES'))); i++) await sleep(100)
    expect(settled(String(await seed.call('CLUSTER', 'NODES'))), 'the announced addresses did not settle').toBe(true)
  } finally {
    seed.disconnect()
  }
}

const probe = async (lab: Lab, ...extra: string[]) => {
  const result = await runCli(['probe', lab.seed, '--json', ...extra])
  const report = parseJson<ProbeReport>(result)
  expect(schemaErrors('probe.schema.json', report)).toBe('')
  return {result, report}
}

describe('announced addresses unreachable from here', () => {
  describe('nodes announce 127.0.0.2 while listening on 127.0.0.1', () => {
    let lab: Lab
    beforeAll(async () => {
      lab = await withLab({masters: 3, replicas: 0})
      await announce(
        lab,
        () => [['cluster-announce-ip', '127.0.0.2']],
        (text) => text.split('\n').some((line) => line.includes('myself') && line.includes(' 127.0.0.2:')),
      )
    })
    afterAll(async () => lab?.stop())

    it('probe names the addresses first, with the seed that answered and the --nat-map to use, and does not call the cluster down', async () => {
      const {result, report} = await probe(lab)
      expect(result.code, result.stderr).toBe(0)
      const top = report.findings[0]
      expect(top).toMatchObject({id: 'announced-addresses', severity: 'critical'})
      const seedPort = lab.seed.split(':')[1]
      expect(top.nodes).toContain(`127.0.0.2:${seedPort}`)
      expect(top.evidence[0]).toContain(`the seed answered at ${lab.seed}`)
      expect(top.evidence[0]).toContain(`announces as 127.0.0.2:${seedPort} (cluster_state ok)`)
      expect(top.evidence).toContain(`127.0.0.2:${seedPort}: connection refused`)
      expect(top.remedy).toContain('--nat-map 127.0.0.2=127.0.0.1')
      expect(report.findings.map((f) => f.id)).not.toContain('cluster-state-fail')
      expect(report.cluster?.state).toBe('ok')
      expect(report.addressing).toMatchObject({unusable: true, seedAnnouncedAs: `127.0.0.2:${seedPort}`, seedClusterState: 'ok'})

      const failing = await runCli(['probe', lab.seed, '--fail-on', 'critical'])
      expect(failing.code).toBe(6)
      expect(failing.stdout).toContain("Most likely cause: The cluster's announced addresses are unreachable from here")
    })

    it('slowlog says the same instead of a quiet "nodes answered"', async () => {
      const result = await runCli(['slowlog', lab.seed, '--json'])
      expect(result.code, result.stderr).toBe(0)
      const report = parseJson<SlowlogReport>(result)
      expect(schemaErrors('slowlog.schema.json', report)).toBe('')
      expect(report.findings[0]).toMatchObject({id: 'announced-addresses', severity: 'critical'})
    })

    it('replay refuses in one line with the way out, and leaves nothing behind', async () => {
      const result = await runCli(['replay', lab.seed, '--idle', '1s', '--cycles', '1', '--keys', '50'])
      expect(result.code).toBe(3)
      expect(result.stderr.trim().split('\n')).toHaveLength(1)
      expect(result.stderr).toContain("the cluster's announced addresses are unreachable from here")
      expect(result.stderr).toContain('try --nat-map 127.0.0.2=127.0.0.1')
    })

    it('with --nat-map 127.0.0.2=127.0.0.1: every node probed, and every model replays without an error', async () => {
      const {result, report} = await probe(lab, '--nat-map', '127.0.0.2=127.0.0.1')
      expect(result.code, result.stderr).toBe(0)
      expect(report.nodes.every((n) => n.reachable)).toBe(true)
      expect(report.findings.map((f) => f.id)).not.toContain('announced-addresses')
      expect(report.addressing).toMatchObject({unusable: false, natMap: ['127.0.0.2=127.0.0.1']})
      expect(report.addressing!.mappedNodes).toBeGreaterThanOrEqual(1)
      const seedPort = lab.seed.split(':')[1]
      expect(report.nodes.find((n) => n.address === `127.0.0.2:${seedPort}`)?.connectedAt).toBe(lab.seed)

      const text = await runCli(['probe', lab.seed, '--nat-map', '127.0.0.2=127.0.0.1'])
      expect(text.stdout).toMatch(/--nat-map 127\.0\.0\.2=127\.0\.0\.1: \d\/3 nodes reached at a mapped address/)

      const replay = await runCli([
        'replay',
        lab.seed,
        '--nat-map',
        '127.0.0.2=127.0.0.1',
        '--json',
        '--idle',
        '1s',
        '--cycles',
        '1',
        '--keys',
        '100',
        '--client',
        'ioredis',
        '--client',
        'refresh-on-error',
        '--client',
        'single-flight',
      ])
      expect(replay.code, replay.stderr).toBe(0)
      const doc = parseJson<ReplayReport>(replay)
      expect(schemaErrors('replay.schema.json', doc)).toBe('')
      expect(doc.natMap).toEqual(['127.0.0.2=127.0.0.1'])
      expect(doc.runs.map((r) => r.client)).toEqual(['ioredis', 'refresh-on-error', 'single-flight'])
      for (const run of doc.runs) {
        for (const phase of run.phases) expect([run.client, phase.name, phase.errors]).toEqual([run.client, phase.name, 0])
      }
      expect(doc.keys.remaining).toBe(0)
    })
  })

  describe('nodes announce other ports (the bus port as it is)', () => {
    let lab: Lab
    const shift = 1000
    beforeAll(async () => {
      lab = await withLab({masters: 3, replicas: 0})
      const ports = lab.state.nodes.map((n) => n.port)
      await announce(
        lab,
        (port) => [
          ['cluster-announce-bus-port', String(port + 10000)],
          ['cluster-announce-port', String(port + shift)],
        ],
        (text) => ports.every((port) => text.includes(`127.0.0.1:${port + shift}@`)),
      )
    })
    afterAll(async () => lab?.stop())

    const natMap = () => lab.state.nodes.flatMap((n) => ['--nat-map', `127.0.0.1:${n.port + shift}=127.0.0.1:${n.port}`])

    it('probe: no node answers at its announced address, the cluster is ok as the seed says, and the mapping to use is named', async () => {
      const {result, report} = await probe(lab)
      expect(result.code, result.stderr).toBe(0)
      expect(report.nodes.every((n) => !n.reachable)).toBe(true)
      expect(report.cluster).toMatchObject({state: 'ok', stateFrom: 'seed', slotsCovered: 16384})
      expect(report.findings[0]).toMatchObject({id: 'announced-addresses', severity: 'critical'})
      expect(report.findings[0].title).toContain('3 of 3 do not answer')
      const seedPort = Number(lab.seed.split(':')[1])
      expect(report.findings[0].remedy).toContain(`--nat-map 127.0.0.1:${seedPort + shift}=${lab.seed}\` and one such mapping per node`)
      expect(report.findings.map((f) => f.id)).not.toContain('cluster-state-fail')
      const text = await runCli(['probe', lab.seed])
      expect(text.stdout).toContain('cluster ok (as the seed says; no node answered at its announced address)')
    })

    it('with one --nat-map per node: every node probed', async () => {
      const {report} = await probe(lab, ...natMap())
      expect(report.nodes.map((n) => [n.reachable, n.connectedAt !== null])).toEqual([
        [true, true],
        [true, true],
        [true, true],
      ])
      expect(report.findings.map((f) => f.id)).not.toContain('announced-addresses')
    })

    it('rotated ports lead each address to another node: CLUSTER MYID says so, and nothing of the wrong node is reported as this one', async () => {
      const sorted = [...lab.state.nodes].sort((a, b) => a.port - b.port)
      const next = new Map(sorted.map((n, i) => [n.port, sorted[(i + 1) % sorted.length].port]))
      await announce(
        lab,
        (port) => [['cluster-announce-port', String(next.get(port))]],
        (text) => sorted.every((n) => text.split('\n').some((line) => line.startsWith(n.id!) && line.includes(`:${next.get(n.port)}@`))),
      )
      const {result, report} = await probe(lab)
      expect(result.code, result.stderr).toBe(0)
      const top = report.findings[0]
      expect(top).toMatchObject({id: 'announced-addresses', severity: 'critical'})
      expect(top.title).toContain('3 of 3 lead to another node')
      for (const node of report.nodes) {
        expect(node.reachable).toBe(false)
        expect(node.answeredAs?.id).toMatch(/^[0-9a-f]{40}$/)
        expect(node.answeredAs?.id).not.toBe(node.id)
        expect(node.server).toBeNull()
      }
    })
  })
})
