/**
 * The JSON rcdiag prints outside the one-document reports, checked against its schemas on real
 * output: every event of `replay --ndjson` (replay-events.schema.json), every line of
 * `slowlog --follow --json` (slowlog-follow.schema.json) and the `lab up|status|down --json`
 * documents (lab.schema.json). Loopback labs only, all stopped at the end.
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {connect, sleep} from '../helpers/clients.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {withLab, type TestLab} from '../helpers/lab.js'
import {schemaErrors} from '../helpers/schema.js'

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

type Line = Record<string, unknown>

/** stdout as NDJSON: one JSON object per line, every line ended by a newline. */
function ndjson(stdout: string): Line[] {
  expect(stdout.endsWith('\n'), `stdout does not end a line: ${stdout.slice(-200)}`).toBe(true)
  return stdout
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      try {
        return JSON.parse(line) as Line
      } catch {
        throw new Error(`line ${i + 1} is not one JSON document: ${line.slice(0, 300)}`)
      }
    })
}

/** Every line valid against the schema; the failing line is named. */
function expectEveryLineValid(schemaFile: string, lines: Line[]): void {
  for (const [i, line] of lines.entries()) {
    expect(schemaErrors(schemaFile, line), `line ${i + 1}: ${JSON.stringify(line).slice(0, 300)}`).toBe('')
  }
}

/** A loopback port nobody listens on (bound by the kernel's choice, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (!address || typeof address === 'string') throw new Error('no port')
  return address.port
}

describe('JSON streams on a 3-master lab', () => {
  let lab: TestLab
  beforeAll(async () => {
    lab = await withLab({masters: 3, replicas: 0})
  })
  afterAll(async () => {
    await lab?.stop()
  })

  it('replay --ndjson: every event (progress, phase, report) matches replay-events.schema.json', async () => {
    // --rate 20 makes each 40-operation burst last about 2 s: progress events come once a second
    const result = await runCli(
      [
        'replay',
        lab.seed,
        '--ndjson',
        '--idle',
        '1s',
        '--cycles',
        '1',
        '--steady-bursts',
        '1',
        '--keys',
        '100',
        '--burst',
        '10',
        '--concurrency',
        '4',
        '--rate',
        '20',
        '--client',
        'single-flight',
      ],
      {timeoutMs: 60_000},
    )
    expect(result.code, result.stderr).toBe(0)
    const events = ndjson(result.stdout)
    expectEveryLineValid('replay-events.schema.json', events)

    const types = events.map((e) => e.type)
    expect(types).toContain('progress')
    expect(events.filter((e) => e.type === 'phase').map((e) => e.name)).toEqual(['warmup', 'post-idle', 'steady'])
    expect(types.at(-1)).toBe('report')
    expect(types.filter((t) => t === 'report')).toHaveLength(1)
    const report = events.at(-1)!
    expect(report).toMatchObject({schemaVersion: 1, command: 'replay', interrupted: false})
    expect(report).not.toHaveProperty('runs')
    expect(events.find((e) => e.type === 'phase')).not.toHaveProperty('histogram')
    // the copied definitions agree with the report schema they came from
    const {type: _type, ...document} = report
    expect(schemaErrors('replay.schema.json', {...document, runs: []})).toBe('')
  })

  it('replay --ndjson that cannot connect: one error event, with the exit status', async () => {
    const result = await runCli(['replay', `127.0.0.1:${await closedPort()}`, '--ndjson', '--idle', '1s'])
    expect(result.code).toBe(3)
    const events = ndjson(result.stdout)
    expectEveryLineValid('replay-events.schema.json', events)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({type: 'error', code: 'UNREACHABLE', exitCode: result.code})
    expect(result.stderr).toContain(`rcdiag: ${String(events[0].message)}`)
  })

  it('slowlog --follow --json: every line is an entry matching slowlog-follow.schema.json', async () => {
    const traffic = connect(lab.seed)
    const [, before] = (await traffic.call('CONFIG', 'GET', 'slowlog-log-slower-than')) as [string, string]
    await traffic.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0')
    const env = {...process.env}
    delete env.NODE_ENV
    delete env.REDISCLI_AUTH
    const child = spawn(process.execPath, [BIN, 'slowlog', lab.seed, '--follow', '--json', '--interval', '100ms'], {env})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve))
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000)
    // PINGs all along: those logged after the first poll (the baseline) are new entries
    const pings = setInterval(() => void traffic.ping().catch(() => undefined), 50)
    try {
      const started = Date.now()
      while ((Date.now() - started < 1500 || stdout.split('\n').length < 4) && Date.now() - started < 15_000) await sleep(50)
    } finally {
      clearInterval(pings)
    }
    child.kill('SIGINT')
    const code = await closed
    clearTimeout(kill)
    await traffic.call('CONFIG', 'SET', 'slowlog-log-slower-than', before)
    traffic.disconnect()

    expect(code, stderr).toBe(0)
    const entries = ndjson(stdout)
    expect(entries.length).toBeGreaterThanOrEqual(3)
    expectEveryLineValid('slowlog-follow.schema.json', entries)
    expect(entries.some((e) => e.command === 'PING' && e.node === lab.seed)).toBe(true)
  })

  it('slowlog --follow --json that cannot start: the stream is one error event that matches slowlog-follow.schema.json', async () => {
    const result = await runCli(['slowlog', `127.0.0.1:${await closedPort()}`, '--follow', '--json', '--interval', '100ms'])
    expect(result.code).toBe(3)
    const lines = result.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    const event = JSON.parse(lines[0]) as Line
    expect(schemaErrors('slowlog-follow.schema.json', event)).toBe('')
    expect(event).toMatchObject({type: 'error', code: 'UNREACHABLE', exitCode: 3})
    expect(result.stderr.trim()).toBe(`rcdiag: ${String(event.message)}`)
  })
})

describe('lab up / status / down --json', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'rcdiag-json-streams-'))
  afterAll(() => {
    rmSync(stateDir, {recursive: true, force: true})
  })

  it('each document matches lab.schema.json and never holds the password', async () => {
    const env = {RCDIAG_LAB_DIR: stateDir}
    const name = `json-${process.pid}-${Math.random().toString(36).slice(2, 8)}`
    const password = `Pw-${Math.random().toString(36).slice(2, 10)}`
    // 2 masters with a replica each: the replica fields (replicaOf, masterLinkStatus) are checked too
    const up = await runCli(
      ['lab', 'up', '--name', name, '--masters', '2', '--replicas', '1', '--config', `requirepass=${password}`, '--json'],
      {env},
    )
    let stopped = false
    try {
      expect(up.code, up.stderr).toBe(0)
      const state = parseJson<Line>(up)
      expect(schemaErrors('lab.schema.json', state)).toBe('')
      expect(state).toMatchObject({schemaVersion: 1, command: 'lab up', name, standalone: false})
      expect(state).not.toHaveProperty('password')
      expect((state.options as {config: unknown}).config).toEqual([['requirepass', '***']])
      // the schema itself refuses a printed password, at the top or in the options
      expect(schemaErrors('lab.schema.json', {...state, password})).not.toBe('')
      const options = state.options as Line
      expect(schemaErrors('lab.schema.json', {...state, options: {...options, config: [['requirepass', password]]}})).not.toBe('')

      const status = await runCli(['lab', 'status', '--name', name, '--json'], {env})
      expect(status.code, status.stderr).toBe(0)
      const st = parseJson<Line>(status)
      expect(schemaErrors('lab.schema.json', st)).toBe('')
      expect(st).toMatchObject({schemaVersion: 1, command: 'lab status', name, state: 'up', clusterState: 'ok'})

      const down = await runCli(['lab', 'down', '--name', name, '--json'], {env})
      expect(down.code, down.stderr).toBe(0)
      stopped = true
      const doc = parseJson<Line>(down)
      expect(schemaErrors('lab.schema.json', doc)).toBe('')
      expect(doc).toEqual({schemaVersion: 1, command: 'lab down', name, stopped: true, nodes: 4})

      for (const result of [up, status, down]) expect(result.stdout + result.stderr).not.toContain(password)
    } finally {
      if (!stopped) await runCli(['lab', 'down', '--name', name], {env})
    }
  })
})
