/**
 * `rcdiag explain` (no server) and `--fail-on` on the built CLI, against two real lab clusters of
 * 3 masters without replicas: one with `timeout 2` (probe warns idle-timeout-reconnect), one with
 * `timeout 0` (no finding). The slowlog checks provoke a slow command on the timeout-2 lab only,
 * after its probe checks, so the timeout-0 lab stays clean.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ExplainEntryDocument, ExplainListDocument} from '../../src/lib/explain/render.js'
import {FINDING_IDS} from '../../src/lib/findings/registry.js'
import type {ProbeReport} from '../../src/lib/report/probe-report.js'
import type {SlowlogReport} from '../../src/lib/slowlog/report.js'
import {connect} from '../helpers/clients.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {withLab} from '../helpers/lab.js'
import {schemaErrors} from '../helpers/schema.js'

type Lab = Awaited<ReturnType<typeof withLab>>
/** What a command prints on stdout under --json when it fails. */
interface ErrorDocument {
  error: {code: string; message: string; exitCode: number}
}
/** Under vitest, NODE_ENV=test can make oclif add warnings to stderr: keep only rcdiag's lines. */
const rcdiagLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('rcdiag:'))

describe('explain', () => {
  it('lists all 21 ids in a table, then the hint', async () => {
    const result = await runCli(['explain'])
    expect(result.code, result.stderr).toBe(0)
    expect(FINDING_IDS).toHaveLength(21)
    for (const id of FINDING_IDS) expect(result.stdout).toContain(id)
    expect(result.stdout).toContain('rcdiag explain <id>')
  })

  it('--json lists every id with its title and severities', async () => {
    const result = await runCli(['explain', '--json'])
    expect(result.code, result.stderr).toBe(0)
    const doc = parseJson<ExplainListDocument>(result)
    expect(schemaErrors('explain.schema.json', doc)).toBe('')
    expect(doc.findings.map((f) => f.id)).toEqual([...FINDING_IDS])
  })

  it('explains one id in plain text: meaning, detection, fixes', async () => {
    const result = await runCli(['explain', 'idle-timeout-reconnect'])
    expect(result.code, result.stderr).toBe(0)
    for (const heading of ['What it means', 'How rcdiag detects it', 'How to fix it']) expect(result.stdout).toContain(heading)
    expect(result.stdout).not.toContain('\x1b')
  })

  it('explain idle-timeout-reconnect --json is valid against the schema', async () => {
    const result = await runCli(['explain', 'idle-timeout-reconnect', '--json'])
    expect(result.code, result.stderr).toBe(0)
    const doc = parseJson<ExplainEntryDocument>(result)
    expect(schemaErrors('explain.schema.json', doc)).toBe('')
    expect(doc).toMatchObject({schemaVersion: 1, command: 'explain', finding: {id: 'idle-timeout-reconnect', severities: ['warning']}})
    expect(doc.finding.detection).toMatch(/timeout/)
  })

  it('an unknown id is a one-line usage error (exit 2) naming the nearest ids', async () => {
    const result = await runCli(['explain', 'nope'])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    const lines = rcdiagLines(result.stderr)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^rcdiag: unknown finding id "nope"; did you mean [a-z-]+, [a-z-]+, [a-z-]+\?/)

    const typo = await runCli(['explain', 'slow-comands', '--json'])
    expect(typo.code).toBe(2)
    expect(parseJson<ErrorDocument>(typo).error).toMatchObject({code: 'USAGE', exitCode: 2})
    expect(parseJson<ErrorDocument>(typo).error.message).toContain('did you mean slow-commands')
  })
})

describe('--fail-on: lab with timeout 2 (idle-timeout-reconnect warning)', () => {
  let lab: Lab
  beforeAll(async () => {
    lab = await withLab({masters: 3, replicas: 0, timeoutSec: 2})
  })
  afterAll(async () => lab?.stop())

  it('probe --fail-on warning exits 6, after printing the report', async () => {
    const result = await runCli(['probe', lab.seed, '--fail-on', 'warning'])
    expect(result.code, result.stderr).toBe(6)
    expect(result.stdout).toContain('idle-timeout-reconnect')
    expect(result.stdout).toContain('Most likely cause')
  })

  it('probe --json --fail-on warning still prints the full JSON', async () => {
    const result = await runCli(['probe', lab.seed, '--json', '--fail-on', 'warning'])
    expect(result.code, result.stderr).toBe(6)
    const report = parseJson<ProbeReport>(result)
    expect(schemaErrors('probe.schema.json', report)).toBe('')
    expect(report.nodes).toHaveLength(3)
    expect(report.findings.find((f) => f.id === 'idle-timeout-reconnect')?.severity).toBe('warning')
  })

  it('probe --fail-on critical exits 0: the finding is only a warning', async () => {
    const result = await runCli(['probe', lab.seed, '--fail-on', 'critical', '--json'])
    expect(result.code, result.stderr).toBe(0)
    expect(parseJson<ProbeReport>(result).findings.some((f) => f.severity === 'critical')).toBe(false)
  })

  it('a bad --fail-on level is refused in one line', async () => {
    const result = await runCli(['probe', lab.seed, '--fail-on', 'info'])
    // Not 2 (yet): oclif's FlagInvalidOptionError carries no exit code, so the base command falls back to 1.
    expect(result.code).not.toBe(0)
    expect(rcdiagLines(result.stderr)).toEqual(['rcdiag: Expected --fail-on=info to be one of: warning, critical'])
  })

  it('slowlog --fail-on warning exits 6 after a 50 ms command, its JSON carrying slow-commands', async () => {
    const redis = connect(lab.state.nodes[1].address, {name: 'slow-app'})
    try {
      await redis.call('DEBUG', 'SLEEP', '0.05')
    } finally {
      redis.disconnect()
    }
    const result = await runCli(['slowlog', lab.seed, '--json', '--fail-on', 'warning'])
    expect(result.code, result.stderr).toBe(6)
    const report = parseJson<SlowlogReport>(result)
    expect(schemaErrors('slowlog.schema.json', report)).toBe('')
    const slow = report.findings.find((f) => f.id === 'slow-commands')
    expect(slow).toMatchObject({severity: 'warning', nodes: expect.arrayContaining([lab.state.nodes[1].address])})
    expect(slow?.title).toContain('DEBUG SLEEP')
    expect(report.findings.map((f) => f.id)).toEqual(['slow-commands']) // no other rule runs on a SLOWLOG

    const critical = await runCli(['slowlog', lab.seed, '--fail-on', 'critical'])
    expect(critical.code, critical.stderr).toBe(0)
    expect(critical.stdout).toContain('Most likely cause')
    expect(critical.stdout).toContain('[slow-commands]')

    // --min-duration above the entry leaves nothing for the rule.
    const filtered = await runCli(['slowlog', lab.seed, '--json', '--fail-on', 'warning', '--min-duration', '10s'])
    expect(filtered.code, filtered.stderr).toBe(0)
    expect(parseJson<SlowlogReport>(filtered).findings).toEqual([])
  })

  it('slowlog --follow does not take --fail-on', async () => {
    const result = await runCli(['slowlog', lab.seed, '--follow', '--fail-on', 'warning'])
    expect(result.code).toBe(2)
  })
})

describe('--fail-on: lab with timeout 0 (no finding)', () => {
  let lab: Lab
  beforeAll(async () => {
    lab = await withLab({masters: 3, replicas: 0})
  })
  afterAll(async () => lab?.stop())

  it('probe --fail-on warning exits 0', async () => {
    const result = await runCli(['probe', lab.seed, '--json', '--fail-on', 'warning'])
    expect(result.code, result.stderr).toBe(0)
    expect(parseJson<ProbeReport>(result).findings.filter((f) => f.severity !== 'info')).toEqual([])
  })
})
