/**
 * `rcdiag lab`: real local clusters from the redis-server on PATH, on free loopback ports.
 * The CLI part needs `npm run build` first (dist/ and oclif.manifest.json).
 */
import {execFile} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {Redis} from 'ioredis'
import {afterAll, describe, expect, it} from 'vitest'

import {RcdiagError} from '../../src/lib/shared/errors.js'
import {splitArgs} from '../../src/lib/lab/config.js'
import {isRedisPid, labStatus, parseConfigFlag, readLab, startLab, stopLab, type LabNode, type LabState} from '../../src/lib/lab/index.js'
import {withLab} from '../helpers/lab.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const tmpDirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcdiag-lab-test-'))
  tmpDirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of tmpDirs) rmSync(dir, {recursive: true, force: true})
})

async function onNode<T>(node: LabNode, fn: (r: Redis) => Promise<T>, password?: string): Promise<T> {
  const redis = new Redis({
    host: node.host,
    port: node.port,
    password,
    protocol: 2,
    lazyConnect: true,
    connectTimeout: 2000,
    commandTimeout: 2000,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableReadyCheck: false,
  })
  redis.on('error', () => {})
  try {
    await redis.connect()
    return await fn(redis)
  } finally {
    redis.disconnect()
  }
}

const field = (text: string, key: string) => new RegExp(`^${key}:(.*)$`, 'm').exec(text)?.[1]?.trim()

function expectStopped(state: LabState): void {
  for (const n of state.nodes) expect(isRedisPid(n.pid), `pid ${n.pid} still a redis-server`).toBe(false)
  expect(existsSync(state.dataDir)).toBe(false)
  expect(existsSync(state.stateFile)).toBe(false)
}

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/run.js', ...args],
      {cwd: ROOT, env: {...process.env, ...env}, timeout: 60_000},
      (error, stdout, stderr) => {
        resolve({code: error ? (typeof error.code === 'number' ? error.code : 124) : 0, stdout, stderr})
      },
    )
  })
}

// Independent tests overlap: most of a cluster start is waiting for Redis (its 2 s writable delay).
describe.concurrent('lab (library)', () => {
  it('starts 3 masters + 3 replicas with timeout 2, then stops them without a trace', async () => {
    const started = Date.now()
    const lab = await withLab({masters: 3, replicas: 1, timeoutSec: 2})
    const elapsed = Date.now() - started
    try {
      const {state} = lab
      expect(elapsed).toBeLessThan(10_000)
      expect(state.nodes).toHaveLength(6)
      expect(state.nodes.filter((n) => n.role === 'master')).toHaveLength(3)
      expect(state.nodes.filter((n) => n.role === 'replica')).toHaveLength(3)
      expect(lab.seed).toBe(state.nodes[0].address)
      expect(state.nodes.every((n) => n.port !== 6379 && n.busPort === n.port + 10_000)).toBe(true)
      expect(new Set(state.nodes.map((n) => n.pid)).size).toBe(6)
      expect(state.options).toMatchObject({masters: 3, replicas: 1, timeoutSec: 2, tcpKeepaliveSec: 300, clusterNodeTimeoutMs: 3000})
      expect(state.password).toBeUndefined()
      expect(JSON.parse(readFileSync(state.stateFile, 'utf8')).nodes).toHaveLength(6)

      for (const node of state.nodes) {
        const {clusterInfo, timeout, replication} = await onNode(node, async (r) => ({
          clusterInfo: String(await r.call('CLUSTER', 'INFO')),
          timeout: (await r.call('CONFIG', 'GET', 'timeout')) as string[],
          replication: String(await r.call('INFO', 'replication')),
        }))
        expect(field(clusterInfo, 'cluster_state'), node.address).toBe('ok')
        expect(field(clusterInfo, 'cluster_slots_assigned')).toBe('16384')
        expect(field(clusterInfo, 'cluster_known_nodes')).toBe('6')
        expect(timeout).toEqual(['timeout', '2'])
        if (node.role === 'master') {
          expect(field(replication, 'role')).toBe('master')
          expect(field(replication, 'connected_slaves')).toBe('1')
        } else {
          expect(field(replication, 'role')).toBe('slave')
          expect(field(replication, 'master_link_status')).toBe('up')
          expect(`127.0.0.1:${field(replication, 'master_port')}`).toBe(node.replicaOf)
        }
      }

      const status = await labStatus(state)
      expect(status.state).toBe('up')
      expect(status.clusterState).toBe('ok')
      expect(status.nodes.map((n) => n.role)).toEqual(state.nodes.map((n) => n.role))
      expect(status.nodes.every((n) => n.alive && n.answering && n.slotsAssigned === 16384)).toBe(true)
    } finally {
      await lab.stop()
    }
    expectStopped(lab.state)
    const status = await labStatus(lab.state)
    expect(status.state).toBe('down')
  })

  it('starts a standalone server with extra config', async () => {
    const lab = await withLab({
      standalone: true,
      config: [
        ['maxclients', '20'],
        ['rename-command', 'CONFIG ""'],
      ],
    })
    try {
      const [node] = lab.state.nodes
      expect(lab.state.nodes).toHaveLength(1)
      expect(node.role).toBe('standalone')
      expect(node.busPort).toBeUndefined()
      const info = await onNode(node, async (r) => {
        expect(await r.ping()).toBe('PONG')
        await expect(r.call('CONFIG', 'GET', 'timeout')).rejects.toThrow(/unknown command/i)
        return String(await r.call('INFO', 'server')) + String(await r.call('INFO', 'cluster')) + String(await r.call('INFO', 'clients'))
      })
      expect(field(info, 'cluster_enabled')).toBe('0')
      expect(field(info, 'maxclients')).toBe('20')
      expect(field(info, 'process_id')).toBe(String(node.pid))
      expect((await labStatus(lab.state)).state).toBe('up')
    } finally {
      await lab.stop()
    }
    expectStopped(lab.state)
  })

  it('labs started in parallel, or on taken ports, do not collide', async () => {
    const [a, b] = await Promise.all([
      withLab({masters: 3, replicas: 0}),
      withLab({
        masters: 2,
        replicas: 1,
        config: [
          ['requirepass', 's3cret'],
          ['maxclients', '20'],
        ],
      }),
    ])
    // one asks for a's first port, one for the port whose bus port is a's first port
    const [c, d] = await Promise.all([
      withLab({standalone: true, port: a.state.nodes[0].port}),
      withLab({masters: 1, replicas: 0, port: a.state.nodes[0].port - 10_000}),
    ])
    const labs = [a, b, c, d]
    try {
      const ports = labs.flatMap((l) => l.state.nodes.flatMap((n) => [n.port, ...(n.busPort ? [n.busPort] : [])]))
      expect(new Set(ports).size).toBe(ports.length)
      expect(c.state.nodes[0].port).not.toBe(a.state.nodes[0].port)
      expect(d.state.nodes[0].busPort).not.toBe(a.state.nodes[0].port)

      for (const [lab, known] of [
        [a, '3'],
        [b, '4'],
        [d, '1'],
      ] as const) {
        for (const node of lab.state.nodes) {
          const info = await onNode(node, async (r) => String(await r.call('CLUSTER', 'INFO')), lab.state.password)
          expect(field(info, 'cluster_state')).toBe('ok')
          expect(field(info, 'cluster_known_nodes')).toBe(known)
        }
      }
      // the password is recorded (to talk to the lab) but not among the options
      expect(b.state.password).toBe('s3cret')
      expect(b.state.options.config).toEqual([
        ['requirepass', '***'],
        ['maxclients', '20'],
      ])
      const replica = b.state.nodes.find((n) => n.role === 'replica')!
      const replication = await onNode(replica, async (r) => String(await r.call('INFO', 'replication')), 's3cret')
      expect(field(replication, 'master_link_status')).toBe('up')
      await expect(onNode(replica, (r) => r.call('GET', 'x'))).rejects.toThrow(/NOAUTH|auth/i)
      expect((await labStatus(b.state)).state).toBe('up')
    } finally {
      await Promise.all(labs.map((l) => l.stop()))
    }
    for (const lab of labs) expectStopped(lab.state)
  })

  it('refuses to start a running lab twice and replaces a stale one', async () => {
    const stateDir = tempDir()
    const first = await startLab({standalone: true, name: 'twice', stateDir})
    try {
      await expect(startLab({standalone: true, name: 'twice', stateDir})).rejects.toThrow(/already running/)
      expect((await readLab('twice', stateDir))?.nodes[0].pid).toBe(first.nodes[0].pid)
      // the servers die behind the lab's back: the state goes stale
      process.kill(first.nodes[0].pid, 'SIGKILL')
      for (let i = 0; i < 100 && isRedisPid(first.nodes[0].pid); i++) await new Promise((r) => setTimeout(r, 20))
      const second = await startLab({standalone: true, name: 'twice', stateDir})
      try {
        expect(second.nodes[0].pid).not.toBe(first.nodes[0].pid)
        expect(existsSync(first.dataDir)).toBe(false)
        expect((await readLab('twice', stateDir))?.dataDir).toBe(second.dataDir)
      } finally {
        await stopLab(second)
      }
      expect(await readLab('twice', stateDir)).toBeUndefined()
    } finally {
      await stopLab(first)
    }
  })

  it('reports a server that cannot start with its log, and leaves nothing behind', async () => {
    const stateDir = tempDir()
    const error = await startLab({standalone: true, name: 'broken', stateDir, config: [['maxmemory-policy', 'no-such-policy']]}).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(RcdiagError)
    expect((error as RcdiagError).code).toBe('LAB')
    expect((error as Error).message).toMatch(/maxmemory-policy/)
    expect((error as Error).message).not.toContain('\n')
    expect(await readLab('broken', stateDir)).toBeUndefined()
    expect(readdirNames(stateDir)).toEqual([])
  })
})

describe('lab config directives', () => {
  it('are split at the first "=", tokenised like redis.conf, and validated', () => {
    expect(parseConfigFlag('rename-command=CONFIG ""')).toEqual(['rename-command', 'CONFIG ""'])
    expect(parseConfigFlag('requirepass=a=b')).toEqual(['requirepass', 'a=b'])
    expect(splitArgs('CONFIG ""')).toEqual(['CONFIG', ''])
    expect(splitArgs(`"pw x" 'it\\'s' a\\b`)).toEqual(['pw x', "it's", 'a\\b'])
    expect(() => parseConfigFlag('maxclients')).toThrow(/key=value/)
    expect(() => parseConfigFlag('port=7000')).toThrow(/--port/)
    expect(() => parseConfigFlag('timeout=5')).toThrow(/--timeout/)
    expect(() => parseConfigFlag('save="')).toThrow(/unbalanced/)
    expect(() => parseConfigFlag('bad key=1')).toThrow(/invalid directive/)
  })
})

function readdirNames(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : []
}

describe.concurrent('lab (CLI)', () => {
  it('lab up / status / down with --json', async () => {
    const env = {RCDIAG_LAB_DIR: tempDir()}
    const up = await cli(
      ['lab', 'up', '--name', 'clitest', '--masters', '3', '--replicas', '0', '--timeout', '1', '--config', 'maxclients=50', '--json'],
      env,
    )
    expect(up.code, up.stderr).toBe(0)
    const state = JSON.parse(up.stdout) as LabState
    try {
      expect(state).toMatchObject({schemaVersion: 1, command: 'lab up', name: 'clitest'})
      expect(state.nodes).toHaveLength(3)
      expect(state.options.timeoutSec).toBe(1)
      expect(state.seed).toBe(state.nodes[0].address)
      expect(state).not.toHaveProperty('password')

      const [status, human] = await Promise.all([
        cli(['lab', 'status', '--name', 'clitest', '--json'], env),
        cli(['lab', 'status', '--name', 'clitest'], env),
      ])
      expect(status.code, status.stderr).toBe(0)
      const st = JSON.parse(status.stdout)
      expect(st).toMatchObject({schemaVersion: 1, command: 'lab status', name: 'clitest', state: 'up'})
      expect(st.clusterState).toBe('ok')
      expect(st.nodes.map((n: {address: string}) => n.address)).toEqual(state.nodes.map((n) => n.address))

      expect(human.stdout).toContain(state.nodes[2].address)
      expect(human.stdout).toMatch(/cluster_state ok/)
    } finally {
      const down = await cli(['lab', 'down', '--name', 'clitest'], env)
      expect(down.code, down.stderr).toBe(0)
      expect(down.stdout).toMatch(/stopped/)
    }
    expectStopped(state)
    // stopping a lab that is not there is a lab failure, as the README's exit codes say
    const none = await cli(['lab', 'down', '--name', 'clitest'], env)
    expect(none.code).toBe(5)
    expect(none.stderr).toMatch(/^rcdiag: no lab named "clitest" .*nothing to stop\n$/)
  })

  it('human output of lab up, bad flags, and a missing redis-server', async () => {
    const env = {RCDIAG_LAB_DIR: tempDir()}
    const [up, badConfig, missing] = await Promise.all([
      cli(['lab', 'up', '--standalone', '--name', 'human'], env),
      cli(['lab', 'up', '--config', 'maxclients'], env),
      cli(['lab', 'up', '--standalone', '--json'], {...env, PATH: tempDir()}),
    ])
    try {
      expect(up.code, up.stderr).toBe(0)
      expect(up.stdout).toMatch(/standalone/)
      expect(up.stdout).toMatch(/rcdiag probe 127\.0\.0\.1:\d+/)
    } finally {
      await cli(['lab', 'down', '--name', 'human'], env)
    }
    expect(badConfig.code).toBe(2)
    expect(badConfig.stderr).toMatch(/key=value/)

    expect(missing.code).toBe(5)
    expect(JSON.parse(missing.stdout).error.code).toBe('REDIS_SERVER_MISSING')
    expect(missing.stderr).toMatch(/apt-get install redis-server/)
  })
})

// Sequential, after the others: it changes process.env.PATH.
describe('lab without redis-server', () => {
  it('reports a missing redis-server with a clear error', async () => {
    const path = process.env.PATH
    process.env.PATH = tempDir()
    try {
      const error = await startLab({standalone: true, stateDir: tempDir()}).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(RcdiagError)
      expect((error as RcdiagError).code).toBe('REDIS_SERVER_MISSING')
      expect((error as RcdiagError).message).toMatch(/apt-get install redis-server.*brew install redis/)
    } finally {
      process.env.PATH = path
    }
  })
})
