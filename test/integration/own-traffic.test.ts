/**
 * rcdiag's own traffic stays out of what it reports: a replay on a lab that logs every command
 * (3 masters, 1 replica each, slowlog-log-slower-than 0), then probe and slowlog. The replay's key
 * writes reach the replicas through the masters' links, without rcdiag's connection name: they must
 * be left out by their key prefix, and the workers' HMGETs by their rcdiag-replay-* names.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ProbeReport} from '../../src/lib/report/probe-report.js'
import type {SlowlogReport} from '../../src/lib/slowlog/report.js'
import {connect} from '../helpers/clients.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {withLab} from '../helpers/lab.js'

type Lab = Awaited<ReturnType<typeof withLab>>

describe("rcdiag's own traffic", () => {
  let lab: Lab
  let probe: ProbeReport
  let slowlog: SlowlogReport

  beforeAll(async () => {
    lab = await withLab({masters: 3, replicas: 1, config: [['slowlog-log-slower-than', '0']]})
    const replay = await runCli([
      'replay',
      lab.seed,
      '--json',
      '--client',
      'single-flight',
      '--idle',
      '1s',
      '--cycles',
      '1',
      '--burst',
      '5',
      '--concurrency',
      '2',
      '--keys',
      '20',
    ])
    expect(replay.code, replay.stderr).toBe(0)
    probe = parseJson<ProbeReport>(await runCli(['probe', lab.seed, '--json']))
    slowlog = parseJson<SlowlogReport>(await runCli(['slowlog', lab.seed, '--json']))
  })

  afterAll(async () => lab?.stop())

  it("the replicas' logs did hold the replay's writes (the test would prove nothing otherwise)", async () => {
    expect(slowlog.filters.ownEntriesExcluded).toBeGreaterThan(0)
    let replicated = 0
    for (const replica of lab.state.nodes.filter((n) => n.role === 'replica')) {
      const redis = connect(replica.address)
      const entries = (await redis.call('SLOWLOG', 'GET', '-1')) as Array<[number, number, number, string[], string, string]>
      redis.disconnect()
      // applied through the master's link: no rcdiag name, only the key prefix tells
      replicated += entries.filter(([, , , args, , name]) => String(args[1]).startsWith('rcdiag:replay:') && name === '').length
    }
    expect(replicated).toBeGreaterThan(0)
  })

  it('slowlog shows none of it', () => {
    expect(
      slowlog.entries.filter((e) => e.args.some((arg) => arg.includes('rcdiag:replay:')) || e.clientName.startsWith('rcdiag')),
    ).toEqual([])
    expect(slowlog.findings.flatMap((f) => f.evidence).join('\n')).not.toContain('rcdiag:replay')
  })

  it('probe counts none of it: no slow pattern, no client connection of rcdiag', () => {
    for (const node of probe.nodes) {
      expect(node.slowlog?.topPatterns.map((p) => p.pattern).join('\n'), node.address).not.toContain('rcdiag:replay')
      expect(node.clients?.topGroups.map((g) => g.name).join('\n'), node.address).not.toMatch(/^rcdiag/m)
    }
    const slow = probe.findings.find((f) => f.id === 'slow-commands')
    expect(`${slow?.title ?? ''}\n${(slow?.evidence ?? []).join('\n')}`).not.toContain('rcdiag:replay')
  })
})
