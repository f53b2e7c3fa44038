/**
 * Connection edge cases against real standalone servers and one small cluster, all started with the
 * lab code on free loopback ports: standalone, CONFIG renamed away, passwords, TLS, refused and
 * half-open (SIGSTOPped) servers, bad flags.
 */
import {spawn} from 'node:child_process'
import {rmSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ProbeReport} from '../../src/lib/report/probe-report.js'
import {sleep} from '../helpers/clients.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {withLab} from '../helpers/lab.js'
import {schemaErrors} from '../helpers/schema.js'
import {makeCertificates} from '../helpers/tls.js'

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

type Lab = Awaited<ReturnType<typeof withLab>>
/** What a command prints on stdout under --json when it fails. */
interface ErrorDocument {
  error: {code: string; message: string; exitCode: number}
}

describe('probe: standalone servers', () => {
  it('probes a standalone Redis without cluster parts', async () => {
    const lab = await withLab({standalone: true})
    try {
      const result = await runCli(['probe', lab.seed, '--json'])
      expect(result.code, result.stderr).toBe(0)
      const report = parseJson<ProbeReport>(result)
      expect(schemaErrors('probe.schema.json', report)).toBe('')
      expect(report.mode).toBe('standalone')
      expect(report.cluster).toBeNull()
      expect(report.nodes).toHaveLength(1)
      expect(report.nodes[0].skipped).toEqual([])
      expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([])
    } finally {
      await lab.stop()
    }
  })

  it('degrades when CONFIG is renamed away: config-unreadable, the rest present', async () => {
    const lab = await withLab({standalone: true, config: [['rename-command', 'CONFIG ""']]})
    try {
      const result = await runCli(['probe', lab.seed, '--json'])
      expect(result.code, result.stderr).toBe(0)
      const report = parseJson<ProbeReport>(result)
      expect(schemaErrors('probe.schema.json', report)).toBe('')
      const node = report.nodes[0]
      expect(node.reachable).toBe(true)
      expect(node.skipped.map((s) => s.check)).toEqual(['config'])
      expect(node.clients).not.toBeNull()
      expect(node.slowlog).not.toBeNull()
      expect(report.findings.map((f) => f.id)).toContain('config-unreadable')
      const human = await runCli(['probe', lab.seed])
      expect(human.stdout).toContain('CONFIG GET refused')
    } finally {
      await lab.stop()
    }
  })

  describe('with requirepass', () => {
    const password = 'pa55-Very-Secret'
    let lab: Lab
    beforeAll(async () => {
      lab = await withLab({standalone: true, config: [['requirepass', password]]})
    })
    afterAll(async () => lab?.stop())

    it('a wrong password is a one-line auth error with its own exit code, secret never echoed', async () => {
      const result = await runCli(['probe', lab.seed, '--password', 'wrong-one-secret', '--json'])
      expect(result.code).toBe(4)
      // one line per fact: the password on the command line is visible in ps, and it was wrong
      expect(result.stderr.trim().split('\n')).toEqual([
        'rcdiag: warning: a password on the command line can be seen by other users (ps) while rcdiag runs; use REDISCLI_AUTH or --askpass',
        expect.stringMatching(/^rcdiag: .*authentication failed/),
      ])
      const quiet = await runCli(['probe', lab.seed, '--password', 'wrong-one-secret', '--no-auth-warning'])
      expect(quiet.stderr.trim().split('\n')).toHaveLength(1)
      expect(result.stderr + result.stdout).not.toContain('wrong-one-secret')
      expect(parseJson<ErrorDocument>(result).error.code).toBe('AUTH')
    })

    it('--askpass on a real terminal (a pseudo-terminal from script(1)): asked without echo, used, shown nowhere', async () => {
      const env = {...process.env}
      delete env.NODE_ENV
      delete env.REDISCLI_AUTH
      const command = `${process.execPath} ${BIN} probe ${lab.seed} --askpass`
      const child = spawn('script', ['-qec', command, '/dev/null'], {env})
      let output = ''
      child.stdout.on('data', (chunk) => (output += chunk))
      for (let i = 0; i < 200 && !output.includes('Password: '); i++) await sleep(25)
      expect(output).toContain('Password: ')
      child.stdin.write(`${password}\r`)
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
      expect(code, output).toBe(0)
      expect(output).toMatch(/rcdiag probe redis:\/\/127\.0\.0\.1:\d+: standalone/)
      expect(output).not.toContain(password)
      expect(output).not.toContain('can be seen by other users')
    })

    it('--askpass needs a terminal, and excludes --password', async () => {
      const noTty = await runCli(['probe', lab.seed, '--askpass'])
      expect(noTty.code).toBe(2)
      expect(noTty.stderr.trim()).toBe('rcdiag: --askpass needs a terminal to ask on (stdin is not one); set REDISCLI_AUTH instead')
      const both = await runCli(['probe', lab.seed, '--askpass', '--password', 'x'])
      expect(both.code).toBe(2)
      expect(both.stderr).toMatch(/leave out --password/)
    })

    it('no password says one is required', async () => {
      const result = await runCli(['probe', lab.seed])
      expect(result.code).toBe(4)
      expect(result.stderr).toMatch(/requires a password/)
    })

    it('the right password from REDISCLI_AUTH or a URL works and never appears in output', async () => {
      const viaEnv = await runCli(['probe', lab.seed, '--json'], {env: {REDISCLI_AUTH: password}})
      expect(viaEnv.code, viaEnv.stderr).toBe(0)
      // nothing on the command line: nothing to warn about
      expect(viaEnv.stderr).toBe('')
      expect(viaEnv.stdout).not.toContain(password)
      const viaUrl = await runCli(['probe', `redis://default:${password}@${lab.seed}`, '--json'])
      expect(viaUrl.code, viaUrl.stderr).toBe(0)
      expect(viaUrl.stdout + viaUrl.stderr).not.toContain(password)
      expect(viaUrl.stderr).toMatch(/can be seen by other users \(ps\)/)
      expect(parseJson<ProbeReport>(viaUrl).target).toBe(`redis://default@${lab.seed}`)
    })

    it('DEBUG=* does not make ioredis or oclif print the password', async () => {
      const result = await runCli(['probe', lab.seed, '--password', password], {env: {DEBUG: '*'}})
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout + result.stderr).not.toContain(password)
      const failing = await runCli(['probe', lab.seed, '--password', `${password}-x`], {env: {DEBUG: '*', RCDIAG_DEBUG: '1'}})
      expect(failing.code).toBe(4)
      expect(failing.stdout + failing.stderr).not.toContain(password)
    })
  })

  describe('over TLS', () => {
    let lab: Lab
    let certs: ReturnType<typeof makeCertificates>
    beforeAll(async () => {
      certs = makeCertificates()
      lab = await withLab({standalone: true, tls: {certFile: certs.certFile, keyFile: certs.keyFile, caFile: certs.caFile}})
    })
    afterAll(async () => {
      await lab?.stop()
      rmSync(certs.dir, {recursive: true, force: true})
    })

    it('rediss:// with --cacert works', async () => {
      const result = await runCli(['probe', `rediss://${lab.seed}`, '--cacert', certs.caFile, '--json'])
      expect(result.code, result.stderr).toBe(0)
      expect(parseJson<ProbeReport>(result).target).toBe(`rediss://${lab.seed}`)
    })

    it('an unknown CA is a clear TLS error', async () => {
      const result = await runCli(['probe', `rediss://${lab.seed}`])
      expect(result.code).toBe(3)
      expect(result.stderr).toMatch(/TLS/)
      expect(result.stderr.trim().split('\n')).toHaveLength(1)
    })
  })
})

describe('probe: unreachable targets and bad input', () => {
  it('a refused port exits 3 with one line', async () => {
    const result = await runCli(['probe', '127.0.0.1:1'])
    expect(result.code).toBe(3)
    expect(result.stderr.trim()).toBe('rcdiag: 127.0.0.1:1: connection refused')
  })

  it('a refused port under --json prints one JSON error document', async () => {
    const result = await runCli(['probe', '127.0.0.1:1', '--json'])
    expect(result.code).toBe(3)
    expect(parseJson<ErrorDocument>(result).error).toMatchObject({code: 'UNREACHABLE', exitCode: 3})
  })

  it('bad durations, targets and flags are usage errors (exit 2), one line, no stack', async () => {
    for (const args of [
      ['probe', '127.0.0.1:1', '--sample', 'soon'],
      ['probe', '127.0.0.1:1', '--sample', '10'],
      ['probe', 'redis://127.0.0.1:99999'],
      ['probe', '--no-such-flag'],
    ]) {
      const result = await runCli(args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).not.toMatch(/\n\s+at /)
      expect(result.stderr.trim().split('\n')).toHaveLength(1)
    }
  })

  it('a SIGSTOPped standalone server: exit 3 within the timeouts', async () => {
    const lab = await withLab({standalone: true})
    const pid = lab.state.nodes[0].pid
    process.kill(pid, 'SIGSTOP')
    try {
      const result = await runCli(['probe', lab.seed, '--connect-timeout', '1s', '--command-timeout', '1s'])
      expect(result.code).toBe(3)
      expect(result.ms).toBeLessThan(10_000)
      expect(result.stderr).toMatch(/no answer|timed out/)
    } finally {
      process.kill(pid, 'SIGCONT')
      await lab.stop()
    }
  })

  it('a SIGSTOPped cluster node is marked unreachable; the others are reported, even when their server timeout is shorter than the wait', async () => {
    // timeout 1: while rcdiag waits for the frozen node, the server closes its idle connections to
    // the healthy ones; they must still be reported reachable, with their timings.
    const lab = await withLab({masters: 3, replicas: 0, timeoutSec: 1})
    const victim = lab.state.nodes.find((n) => n.address !== lab.seed)!
    process.kill(victim.pid, 'SIGSTOP')
    try {
      const result = await runCli(['probe', lab.seed, '--json', '--command-timeout', '1500ms'])
      expect(result.code, result.stderr).toBe(0)
      const report = parseJson<ProbeReport>(result)
      const stopped = report.nodes.find((n) => n.address === victim.address)
      expect(stopped?.reachable).toBe(false)
      const healthy = report.nodes.filter((n) => n.reachable)
      expect(healthy).toHaveLength(2)
      expect(healthy.every((n) => n.config.timeout === 1 && n.rttMs !== null && n.topologyCallMs !== null)).toBe(true)
      expect(result.ms).toBeLessThan(10_000)
    } finally {
      process.kill(victim.pid, 'SIGCONT')
      await lab.stop()
    }
  })
})
