/**
 * Hostile input and the first hour, against real servers and sockets on loopback: every case
 * asserts the exit code, a time bound, a one-line error without a stack trace, no secret in any
 * output and, for replay, no key left behind.
 */
import {spawn} from 'node:child_process'
import http from 'node:http'
import net from 'node:net'
import {fileURLToPath} from 'node:url'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ProbeReport} from '../../src/lib/report/probe-report.js'
import type {ReplayReport} from '../../src/lib/replay/report.js'
import {connect, scanKeys, setUserEverywhere, sleep} from '../helpers/clients.js'
import {parseJson, runCli, type CliResult} from '../helpers/cli.js'
import {withLab} from '../helpers/lab.js'
import {schemaErrors} from '../helpers/schema.js'

type Lab = Awaited<ReturnType<typeof withLab>>
const PS_WARNING =
  'rcdiag: warning: a password on the command line can be seen by other users (ps) while rcdiag runs; use REDISCLI_AUTH or --askpass'
const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

/** One line on stderr, ours, without a stack, without any of `secrets`, within `ms`. */
function expectCleanFailure(result: CliResult, code: number, ms: number, secrets: string[] = []) {
  expect(result.code, result.stderr).toBe(code)
  expect(result.ms, result.stderr).toBeLessThan(ms)
  // the one fact besides the error a run may state: a password on the command line shows in ps
  const lines = result.stderr
    .trimEnd()
    .split('\n')
    .filter((line) => !line.startsWith('rcdiag: warning: a password on the command line'))
  expect(lines, result.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(/^rcdiag: /)
  expect(result.stderr).not.toMatch(/\n\s+at /)
  // eslint-disable-next-line no-control-regex -- what must not reach the terminal
  expect(result.stderr + result.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/)
  for (const secret of secrets) expect(result.stderr + result.stdout).not.toContain(secret)
}

/** A TCP server on a free loopback port that does `onConnection`; closed by the returned function. */
async function fakeServer(onConnection: (socket: net.Socket) => void): Promise<{port: number; close: () => Promise<void>}> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
    onConnection(socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy()
      server.close(() => resolve())
    })
  return {port, close}
}

describe('hostile input: usage errors are one line, exit 2, and echo no secret', () => {
  const cases: Array<{args: string[]; message: RegExp; secrets?: string[]}> = [
    {args: ['slowlog', '--group-by', 'bogus'], message: /--group-by=bogus to be one of/},
    {args: ['probe', '--fail-on', 'bogus'], message: /--fail-on=bogus to be one of/},
    {args: ['probe', '--url'], message: /--url expects a value/},
    {args: ['foo'], message: /^rcdiag: unknown command "foo" \(`rcdiag --help` lists them\)$/},
    {args: ['prob'], message: /unknown command "prob"; did you mean `rcdiag probe`\?/},
    {args: ['version'], message: /did you mean `rcdiag --version`\?/},
    {args: ['probe', '127.0.0.1:7850:1'], message: /target "127\.0\.0\.1:7850:1" is not host:port or a redis:\/\/ URL/},
    {args: ['probe', '127.0.0.1:7851', '--url', '127.0.0.1:7852'], message: /as the NODE argument or with --url, not both/},
    {args: ['probe', '--command-timeout', '25d'], message: /"25d" is too long: at most 600s/},
    {args: ['probe', '--sample', '99999999999h'], message: /too long: at most 86400s/},
    {args: ['replay', '--idle', '0ms', '--duration', '400d'], message: /too long/},
    {args: ['probe', '--nat-map', 'nonsense'], message: /expected FROM=TO/},
    {args: ['replay', '--keys', '10000000'], message: /--keys: Expected an integer less than or equal to 100000/},
    {args: ['watch', '--interval', '10ms'], message: /"10ms" is too short: at least 50ms/},
    {args: ['watch', '--json', '--ndjson'], message: /cannot also be provided when using --json|--ndjson/},
    {
      args: ['probe', 'redis://:Pw_S2:@/x%y@127.0.0.1:7851'],
      message: /the target URL's user or password holds "@", "\/", "\?" or "#": URL-encode them/,
      secrets: ['Pw_S2', 'x%y'],
    },
    {args: ['explain', '\x1b]0;pwned\x07'], message: /unknown finding id "\\x1b\]0;pwned\\x07"/},
    {args: ['\x1b]0;pwned\x07'], message: /unknown command "\\x1b\]0;pwned\\x07"/},
  ]
  for (const {args, message, secrets} of cases) {
    it(JSON.stringify(args), async () => {
      const result = await runCli(args)
      expectCleanFailure(result, 2, 5000, secrets)
      expect(result.stderr.trimEnd()).toMatch(message)
    })
  }

  it('under --json the error is one document with the usage code', async () => {
    const result = await runCli(['probe', '--json', '--command-timeout', '25d'])
    expect(result.code).toBe(2)
    expect(parseJson<{error: {code: string; exitCode: number}}>(result).error).toMatchObject({code: 'USAGE', exitCode: 2})
  })

  it('-h is help', async () => {
    const result = await runCli(['probe', '-h'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/USAGE/)
  })

  it('lab down of a lab that does not exist is a lab failure (5)', async () => {
    const result = await runCli(['lab', 'down', '--name', 'nope-not-there'])
    expectCleanFailure(result, 5, 5000)
  })
})

describe('hostile servers: errors a person can act on', () => {
  it('a server at maxclients: "refused the connection: max number of clients reached"', async () => {
    const server = await fakeServer((socket) => socket.end('-ERR max number of clients reached\r\n'))
    try {
      for (const extra of [[], ['--password', 's3cr3t-Pw']]) {
        const result = await runCli(['probe', `127.0.0.1:${server.port}`, ...extra])
        expectCleanFailure(result, 3, 5000, ['s3cr3t-Pw'])
        expect(result.stderr).toContain('the server refused the connection: max number of clients reached (maxclients)')
      }
    } finally {
      await server.close()
    }
  })

  it('an HTTP server on the port: "does not speak Redis" with what it answered', async () => {
    const server = http.createServer((_request, response) => response.writeHead(400).end('bad'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as net.AddressInfo).port
    try {
      for (const extra of [[], ['--password', 's3cr3t-Pw']]) {
        const result = await runCli(['probe', `127.0.0.1:${port}`, ...extra])
        expectCleanFailure(result, 3, 5000, ['s3cr3t-Pw'])
        expect(result.stderr).toContain('does not speak Redis: an HTTP server answered "HTTP/1.1 400 Bad Request"')
        expect(result.stderr).not.toMatch(/Please report/)
      }
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('a "server" sending one endless line: the reply is capped, the node gets a clear error, no memory blow-up', async () => {
    const chunk = Buffer.alloc(1 << 20, 'a')
    const server = await fakeServer((socket) => {
      socket.write('+')
      const pump = () => {
        while (!socket.destroyed && socket.write(chunk));
      }
      socket.on('drain', pump)
      pump()
    })
    try {
      const result = await runCli(['probe', `127.0.0.1:${server.port}`])
      expectCleanFailure(result, 3, 10_000)
      expect(result.stderr).toContain('a reply grew past 64 MB without ending: not a Redis server, or a reply too large to read')
    } finally {
      await server.close()
    }
  })

  it('a password "7" against a refused port: the address is printed whole', async () => {
    const server = await fakeServer(() => undefined)
    const port = server.port
    await server.close()
    const result = await runCli(['probe', `127.0.0.1:${port}`, '--password', '7'])
    expectCleanFailure(result, 3, 5000)
    expect(result.stderr.trim().split('\n')).toEqual([PS_WARNING, `rcdiag: 127.0.0.1:${port}: connection refused`])
  })
})

describe('hostile runs on a real lab', () => {
  let lab: Lab
  beforeAll(async () => {
    lab = await withLab({masters: 3, replicas: 0, config: [['slowlog-log-slower-than', '0']]})
  })
  afterAll(async () => lab?.stop())

  it('a user with only +@read: probe reads what it may and names every refused command; replay says what to grant', async () => {
    await setUserEverywhere(
      lab.state.nodes.map((n) => n.address),
      'reader',
      'reader-Pw',
      '~*',
      '+@read',
    )
    const probe = await runCli(['probe', lab.seed, '--json', '--user', 'reader', '--password', 'reader-Pw', '--no-auth-warning'])
    expect(probe.code, probe.stderr).toBe(0)
    expect(probe.stderr).toBe('')
    const report = parseJson<ProbeReport>(probe)
    expect(schemaErrors('probe.schema.json', report)).toBe('')
    expect(report.skipped.map((s) => s.command)).toEqual(
      expect.arrayContaining([
        'CLUSTER SHARDS',
        'CLUSTER NODES',
        'CLUSTER SLOTS',
        'INFO',
        'CONFIG GET',
        'CLIENT LIST',
        'SLOWLOG GET',
        'LATENCY LATEST',
      ]),
    )
    expect(report.nodes).toHaveLength(1)
    expect(report.nodes[0]).toMatchObject({address: lab.seed, reachable: true, role: 'unknown'})
    expect(report.findings[0]).toMatchObject({id: 'config-unreadable', severity: 'warning'})
    expect(report.findings[0].remedy).toContain('+cluster|slots')
    const text = await runCli(['probe', lab.seed, '--user', 'reader', '--password', 'reader-Pw', '--no-auth-warning'])
    expect(text.stdout).toMatch(
      /topology unknown \(CLUSTER SHARDS, CLUSTER NODES, CLUSTER SLOTS refused to this user\): only the seed was read/,
    )
    const replay = await runCli(['replay', lab.seed, '--user', 'reader', '--password', 'reader-Pw', '--no-auth-warning'])
    expectCleanFailure(replay, 4, 5000, ['reader-Pw'])
    expect(replay.stderr).toMatch(/may not read the cluster's topology .* grant it \+cluster\|slots at least/)
  })

  it("a user without INFO: ioredis' 'Skipping the ready check' becomes one line of ours, not one per connection", async () => {
    await setUserEverywhere(
      lab.state.nodes.map((n) => n.address),
      'noinfo',
      'noinfo-Pw',
      '~*',
      '&*',
      '+@all',
      '-info',
    )
    const result = await runCli([
      'replay',
      lab.seed,
      '--user',
      'noinfo',
      '--password',
      'noinfo-Pw',
      '--no-auth-warning',
      '--client',
      'ioredis',
      '--idle',
      '0ms',
      '--cycles',
      '1',
      '--keys',
      '50',
    ])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr.trim().split('\n')).toEqual([
      'rcdiag: INFO is refused for this user: the ioredis model skips its ready check, as ioredis does',
    ])
  })

  it('TLS to a plain server: says so at once instead of timing out', async () => {
    const result = await runCli(['probe', lab.seed, '--tls', '--connect-timeout', '1s'])
    expectCleanFailure(result, 3, 5000)
    expect(result.stderr).toContain('the server does not speak TLS there (it answers a plain-text PING): use redis:// without --tls')
    // the plain-text check never sends the password: no AUTH reaches the server in clear
    const auths = async () => {
      const redis = connect(lab.seed)
      const stats = String(await redis.call('INFO', 'commandstats'))
      redis.disconnect()
      return Number(/^cmdstat_auth:calls=(\d+)/m.exec(stats)?.[1] ?? 0)
    }
    const before = await auths()
    const withPassword = await runCli([
      'probe',
      lab.seed,
      '--tls',
      '--connect-timeout',
      '1s',
      '--password',
      'tls-only-Pw',
      '--no-auth-warning',
    ])
    expectCleanFailure(withPassword, 3, 5000, ['tls-only-Pw'])
    expect(withPassword.stderr).toContain('does not speak TLS there')
    expect(await auths()).toBe(before)
  })

  it('a password the server does not need: one line of ours, not one per connection', async () => {
    const probe = await runCli(['probe', lab.seed, '--password', 'unneeded-Pw'])
    expect(probe.code, probe.stderr).toBe(0)
    expect(probe.stderr.trim().split('\n')).toEqual([
      PS_WARNING,
      'rcdiag: a password was given, but the server does not require one (it is ignored)',
    ])
    const replay = await runCli([
      'replay',
      lab.seed,
      '--password',
      'unneeded-Pw',
      '--idle',
      '0ms',
      '--cycles',
      '1',
      '--keys',
      '50',
      '--rate',
      '2000',
    ])
    expect(replay.code, replay.stderr).toBe(0)
    expect(replay.stderr.trim().split('\n')).toEqual([
      PS_WARNING,
      'rcdiag: a password was given, but the server does not require one (it is ignored)',
    ])
    expect(replay.stdout + replay.stderr).not.toContain('unneeded-Pw')
  })

  it('slowlog --follow whose reader goes away (| head -c 100) stops at once, quietly', async () => {
    const traffic = connect(lab.seed)
    const timer = setInterval(() => void traffic.ping().catch(() => undefined), 20)
    try {
      for (const json of [false, true]) {
        const child = spawn(process.execPath, [BIN, 'slowlog', lab.seed, '--follow', '--interval', '100ms', ...(json ? ['--json'] : [])], {
          env: {...process.env, NODE_ENV: ''},
        })
        let stderr = ''
        child.stderr.on('data', (chunk) => (stderr += chunk))
        let seen = 0
        const closedAt = await new Promise<number>((resolve) => {
          child.stdout.on('data', (chunk: Buffer) => {
            seen += chunk.length
            if (seen >= 100) {
              child.stdout.destroy() // what `head -c 100` does when it has enough
              resolve(Date.now())
            }
          })
        })
        const code = await new Promise<number | null>((resolve) => {
          const kill = setTimeout(() => child.kill('SIGKILL'), 10_000)
          child.on('close', (c) => {
            clearTimeout(kill)
            resolve(c)
          })
        })
        expect(code, stderr).toBe(0)
        expect(Date.now() - closedAt).toBeLessThan(3000)
        expect(stderr).toBe('')
      }
    } finally {
      clearInterval(timer)
      traffic.disconnect()
    }
  })

  it('SIGHUP during a replay (a closed terminal): report, keys removed, exit 130', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'replay', lab.seed, '--json', '--idle', '30s', '--keys', '300', '--client', 'single-flight'],
      {
        env: {...process.env, NODE_ENV: ''},
      },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    // the keys exist once the workload runs: wait for them, then hang up
    for (
      let i = 0;
      i < 200 && (await scanKeys([lab.seed, ...lab.state.nodes.map((n) => n.address)], 'rcdiag:replay:*')).length === 0;
      i++
    ) {
      await sleep(50)
    }
    await sleep(500)
    const hungUp = Date.now()
    child.kill('SIGHUP')
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(code, stderr).toBe(130)
    expect(Date.now() - hungUp).toBeLessThan(10_000)
    const report = JSON.parse(stdout) as ReplayReport
    expect(report).toMatchObject({interrupted: true, durationReached: false})
    expect(report.keys).toMatchObject({removed: true, remaining: 0})
    expect(
      await scanKeys(
        lab.state.nodes.map((n) => n.address),
        'rcdiag:replay:*',
      ),
    ).toEqual([])
  })

  it('--duration reached is a normal end: not interrupted, exit 0, keys removed, within the bound', async () => {
    const result = await runCli(['replay', lab.seed, '--json', '--idle', '2s', '--cycles', '5', '--keys', '100', '--duration', '6s'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.ms).toBeLessThan(6000 + 2500)
    const report = parseJson<ReplayReport>(result)
    expect(report).toMatchObject({interrupted: false, durationReached: true})
    expect(report.keys).toMatchObject({removed: true, remaining: 0})
    const text = await runCli(['replay', lab.seed, '--idle', '2s', '--cycles', '5', '--keys', '100', '--duration', '4s'])
    expect(text.stdout).toMatch(/stopped at --duration 4 s as asked/)
    expect(text.stdout).not.toMatch(/INTERRUPTED/)
  })

  it('and after every run above, no replay key is left on the lab', async () => {
    expect(
      await scanKeys(
        lab.state.nodes.map((n) => n.address),
        'rcdiag:replay:*',
      ),
    ).toEqual([])
  })
})
