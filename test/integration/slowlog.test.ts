/**
 * Starts one real lab cluster (3 masters, no replicas, slowlog-log-slower-than 0: every command is
 * logged) and runs the built CLI against it: one-shot reports, then --follow as a child process.
 */
import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {Ajv} from 'ajv'
import addFormatsModule from 'ajv-formats'
import type {Redis} from 'ioredis'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {SlowlogReport} from '../../src/lib/slowlog/report.js'
import type {TimelineEntry} from '../../src/lib/slowlog/types.js'
import {connect, sleep} from '../helpers/clients.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {withLab} from '../helpers/lab.js'
import {schemaErrors} from '../helpers/schema.js'

type Lab = Awaited<ReturnType<typeof withLab>>
/** What a command prints on stdout under --json when it fails. */
interface ErrorDocument {
  error: {code: string; message: string; exitCode: number}
}
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const HOSTILE_KEY = Buffer.concat([Buffer.from('hostile:\x1b[31m:\n:'), Buffer.from([0xff, 0xfe])])
const HOSTILE_ESCAPED = 'hostile:\\x1b[31m:\\n:\\xff\\xfe'

describe('slowlog: 3-master lab, every command logged', () => {
  let lab: Lab
  let nodes: string[]
  let clients: Redis[]
  let json: Awaited<ReturnType<typeof runCli>>

  beforeAll(async () => {
    lab = await withLab({masters: 3, replicas: 0, config: [['slowlog-log-slower-than', '0']]})
    nodes = lab.state.nodes.map((n) => n.address)
    clients = nodes.map((address) => connect(address, {name: 'slow-app'}))
    await clients[0].call('DEBUG', 'SLEEP', '0.02')
    await sleep(1100) // a later second, so the merged order is certain
    await clients[1].call('DEBUG', 'SLEEP', '0.02')
    await clients[2].call('DEBUG', 'SLEEP', '0.02')
    await onOwner(clients, (redis) => redis.set(HOSTILE_KEY, 'value'))
    for (const id of [1, 2, 3]) await onOwner(clients, (redis) => redis.hmget(`user:${id}:profile`, 'name', 'email'))
    json = await runCli(['slowlog', lab.seed, '--json'])
  })

  afterAll(async () => {
    for (const redis of clients ?? []) redis.disconnect()
    await lab?.stop()
  })

  it('merges entries from every node by time, newest first, valid against the schema', async () => {
    expect(json.code, json.stderr).toBe(0)
    const report = parseJson<SlowlogReport>(json)
    expect(schemaErrors('slowlog.schema.json', report)).toBe('')
    expect(report.nodes.map((n) => [n.address, n.reachable, n.role, n.skipped])).toEqual(nodes.map((a) => [a, true, 'master', null]))
    const times = report.entries.map((e) => e.timestamp)
    expect(times).toEqual([...times].sort((a, b) => b - a))
    const sleeps = report.entries.filter((e) => e.command === 'DEBUG SLEEP')
    expect(sleeps.map((e) => e.node).sort()).toEqual([...nodes].sort())
    expect(sleeps.at(-1)?.node).toBe(nodes[0]) // the earliest one is last
    expect(sleeps.every((e) => e.clientName === 'slow-app' && /^127\.0\.0\.1:\d+$/.test(e.clientAddr))).toBe(true)
    expect(report.entries.some((e) => e.clientName === 'rcdiag')).toBe(false)
    expect(report.filters.ownEntriesExcluded).toBeGreaterThan(0)
    expect(report.groups.find((g) => g.key === 'HMGET user:{n}:profile name email')?.count).toBe(3)
    expect(report.histogram.reduce((sum, b) => sum + b.count, 0)).toBe(report.entries.length)
  })

  it('--min-duration keeps only the slow entries', async () => {
    const report = parseJson<SlowlogReport>(await runCli(['slowlog', lab.seed, '--json', '--min-duration', '15ms']))
    expect(report.filters.minDurationUs).toBe(15_000)
    expect(report.entries.length).toBeGreaterThanOrEqual(3)
    expect(report.entries.every((e) => e.durationUs >= 15_000)).toBe(true)
    expect(report.entries.filter((e) => e.command === 'DEBUG SLEEP')).toHaveLength(3)
    expect(report.entries.some((e) => e.command === 'HMGET')).toBe(false)
  })

  it('--group-by command names the command and the nodes it ran on', async () => {
    const report = parseJson<SlowlogReport>(await runCli(['slowlog', lab.seed, '--json', '--group-by', 'command']))
    expect(report.groupBy).toBe('command')
    const debug = report.groups.find((g) => g.key === 'DEBUG SLEEP')
    expect(debug).toMatchObject({count: 3})
    expect(debug?.nodes).toEqual([...nodes].sort())
    expect(debug?.maxUs).toBeGreaterThanOrEqual(20_000)
  })

  it('human output: groups by command with their nodes, a hostile key escaped', async () => {
    const human = await runCli(['slowlog', lab.seed, '--group-by', 'command'])
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toContain('Top offenders by total time')
    expect(human.stdout).toMatch(/DEBUG SLEEP\s*│\s*3\s*│/)
    for (const address of nodes) expect(human.stdout).toContain(address)
    expect(human.stdout).toContain('Most recent entries')
    expect(human.stdout).toContain('100ms-1s')
    expect(human.stdout).toContain(HOSTILE_ESCAPED)
    // eslint-disable-next-line no-control-regex -- the point: no raw C0 control byte but newline, no DEL, no U+FFFD on the terminal
    expect(human.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\ufffd]/)
  })

  it('escapes a hostile key in JSON', async () => {
    const entry = parseJson<SlowlogReport>(json).entries.find((e) => e.command === 'SET')
    expect(entry?.args).toEqual(['set', HOSTILE_ESCAPED, 'value'])
    expect(entry?.pattern).toBe('SET hostile:\\x1b[{n}m:\\n:\\xff\\xfe …')
    expect(json.stdout).not.toContain('\x1b')
  })

  it('an unreachable seed is a one-line error with exit code 3', async () => {
    const result = await runCli(['slowlog', '127.0.0.1:1', '--json'])
    expect(result.code).toBe(3)
    // (only the rcdiag lines: under vitest, NODE_ENV=test makes oclif warn about its tsconfig mapping)
    expect(result.stderr.split('\n').filter((line) => line.startsWith('rcdiag:'))).toEqual(['rcdiag: 127.0.0.1:1: connection refused'])
    expect(parseJson<ErrorDocument>(result).error).toMatchObject({code: 'UNREACHABLE', exitCode: 3})
  })

  it('--follow --json streams only new entries as NDJSON, survives a RESET and a stalled node, stops on SIGINT', async () => {
    const validEntry = entryValidator()
    const child = spawn(
      process.execPath,
      [
        'bin/run.js',
        'slowlog',
        lab.seed,
        '--follow',
        '--json',
        '--interval',
        '200ms',
        '--command-timeout',
        '300ms',
        '--connect-timeout',
        '500ms',
      ],
      {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']},
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    const lines = () =>
      stdout
        .split('\n')
        .filter((line) => line !== '')
        .map((line): TimelineEntry => JSON.parse(line))
    const named = (name: string) => lines().filter((e) => e.clientName === name)
    const waitFor = async (what: string, done: () => boolean, timeoutMs = 8000) => {
      const deadline = Date.now() + timeoutMs
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nstdout:\n${stdout}\nstderr:\n${stderr}`)
        await sleep(50)
      }
    }
    const marker = connect(nodes[0], {name: 'marker'})
    const followers = nodes.map((address) => connect(address, {name: 'follow-1'}))
    try {
      // The first poll is the baseline; keep logging a marker until the follower shows one.
      await waitFor(
        'the follower to start',
        () => {
          void marker.echo('ready').catch(() => {})
          return named('marker').length > 0
        },
        15_000,
      )

      for (const redis of followers.slice(0, 2)) await redis.call('DEBUG', 'SLEEP', '0.01')
      await waitFor('two follow-1 entries', () => named('follow-1').filter((e) => e.command === 'DEBUG SLEEP').length === 2)

      await marker.call('SLOWLOG', 'RESET')
      await followers[0].client('SETNAME', 'follow-2')
      await followers[0].call('DEBUG', 'SLEEP', '0.01')
      await waitFor('the entry after RESET', () => named('follow-2').some((e) => e.command === 'DEBUG SLEEP'))

      // Node 3 stalls longer than --command-timeout: reported once, then it answers again.
      await followers[2].call('DEBUG', 'SLEEP', '1.2')
      await waitFor('node 3 to recover', () => stderr.includes(`${nodes[2]}: answers again`))
      await waitFor('the stall itself as an entry', () =>
        named('follow-1').some((e) => e.node === nodes[2] && e.command === 'DEBUG SLEEP' && e.durationUs >= 1_000_000),
      )

      const all = lines()
      for (const entry of all) expect(validEntry(entry), JSON.stringify(validEntry.errors)).toBe(true)
      const keys = all.map((e) => `${e.node}#${e.id}`)
      expect(new Set(keys).size).toBe(keys.length) // nothing twice
      expect(all.some((e) => e.clientName === 'slow-app' || e.clientName === 'rcdiag')).toBe(false) // nothing from before, nothing of its own
      expect(stderr.split('\n').filter((line) => line.includes('stopped answering'))).toHaveLength(1)
      expect(stderr).toContain(`${nodes[2]}: stopped answering`)

      const stoppedAt = Date.now()
      child.kill('SIGINT')
      expect(await exited).toBe(0)
      expect(Date.now() - stoppedAt).toBeLessThan(2000)
      expect(stdout.endsWith('\n')).toBe(true)
      expect(() => lines()).not.toThrow() // every line is JSON: nothing else on stdout
    } finally {
      child.kill('SIGKILL')
      marker.disconnect()
      for (const redis of followers) redis.disconnect()
    }
  }, 30_000)

  it('marks a node that refuses SLOWLOG (ACL) as skipped', async () => {
    const admins = nodes.map((address) => connect(address))
    try {
      for (const [index, redis] of admins.entries()) {
        const rules = index === 1 ? ['+@all', '-slowlog'] : ['+@all']
        await redis.call('ACL', 'SETUSER', 'limited', 'on', '>pw', '~*', '&*', ...rules)
      }
      const result = await runCli(['slowlog', lab.seed, '--json', '--user', 'limited', '--password', 'pw'])
      expect(result.code, result.stderr).toBe(0)
      const report = parseJson<SlowlogReport>(result)
      expect(schemaErrors('slowlog.schema.json', report)).toBe('')
      const refused = report.nodes.find((n) => n.address === nodes[1])
      expect(refused).toMatchObject({reachable: true, entries: 0, skipped: {command: 'SLOWLOG GET'}})
      expect(refused?.skipped?.reason).toMatch(/NOPERM/)
      expect(report.nodes.filter((n) => n.skipped === null && n.entries > 0)).toHaveLength(2)
    } finally {
      for (const redis of admins) redis.disconnect()
    }
  })

  it('marks a node that does not answer as unreachable and reports the rest', async () => {
    const frozen = lab.state.nodes[2]
    process.kill(frozen.pid, 'SIGSTOP')
    try {
      const result = await runCli(['slowlog', lab.seed, '--json', '--connect-timeout', '300ms', '--command-timeout', '300ms'])
      expect(result.code, result.stderr).toBe(0)
      const report = parseJson<SlowlogReport>(result)
      expect(schemaErrors('slowlog.schema.json', report)).toBe('')
      const node = report.nodes.find((n) => n.address === frozen.address)
      expect(node).toMatchObject({reachable: false, entries: 0})
      expect(node?.error).toMatch(/no answer|timed out/)
      expect(report.nodes.filter((n) => n.reachable)).toHaveLength(2)
      expect(report.entries.some((e) => e.node === nodes[0])).toBe(true)
    } finally {
      process.kill(frozen.pid, 'SIGCONT')
    }
  })
})

/** Runs `command` on the node that owns the key: the others answer MOVED. */
async function onOwner(clients: Redis[], command: (redis: Redis) => Promise<unknown>): Promise<void> {
  for (const redis of clients) {
    try {
      await command(redis)
      return
    } catch (error) {
      if (!/MOVED/.test(String(error))) throw error
    }
  }
  throw new Error('no node owns the key')
}

/** The NDJSON line schema: the `entry` definition of schemas/slowlog.schema.json. */
function entryValidator() {
  const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
  const ajv = new Ajv({allErrors: true, strict: true, allowUnionTypes: true})
  addFormats(ajv)
  const schema = JSON.parse(readFileSync(new URL('../../schemas/slowlog.schema.json', import.meta.url), 'utf8'))
  ajv.addSchema(schema)
  return ajv.compile({$ref: `${schema.$id}#/definitions/entry`})
}
