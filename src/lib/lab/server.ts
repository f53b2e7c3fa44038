import {type ChildProcess, spawn} from 'node:child_process'
import {closeSync, openSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {pingNode} from '../redis/session.js'
import {errorMessage} from '../shared/errors.js'
import {LAB_POLL_TIMEOUTS, labTarget} from './control-target.js'
import {splitArgs} from './config.js'
import {LAB_HOST} from './ports.js'
import type {LabTlsFiles} from './types.js'

/** One redis-server: its arguments, spawning it detached, waiting until it answers PING. */

export interface ServerSpec {
  bin: string
  port: number
  dir: string
  logFile: string
  cluster: boolean
  timeoutSec: number
  tcpKeepaliveSec: number
  clusterNodeTimeoutMs: number
  /** Whether this redis-server knows `enable-debug-command` (7.0+). */
  debugCommandOption: boolean
  extra: Array<[string, string]>
  tls?: LabTlsFiles
  /** requirepass, if any: for the readiness check, and masterauth. */
  password?: string
}

export function serverArgs(spec: ServerSpec): string[] {
  const args = [
    ...['--bind', LAB_HOST],
    ...(spec.tls ? ['--port', '0', '--tls-port', String(spec.port)] : ['--port', String(spec.port)]),
    ...['--dir', spec.dir],
    ...['--save', ''],
    ...['--appendonly', 'no'],
    ...['--daemonize', 'no'],
    ...['--logfile', spec.logFile],
    ...['--timeout', String(spec.timeoutSec)],
    ...['--tcp-keepalive', String(spec.tcpKeepaliveSec)],
    ...(spec.debugCommandOption ? ['--enable-debug-command', 'yes'] : []),
    // Redis 7 waits 5 s for more replicas before a diskless sync: a lab cannot afford that.
    ...['--repl-diskless-sync-delay', '0'],
  ]
  if (spec.cluster) {
    args.push('--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf')
    args.push('--cluster-node-timeout', String(spec.clusterNodeTimeoutMs))
  }
  if (spec.tls) {
    args.push('--tls-cert-file', spec.tls.certFile, '--tls-key-file', spec.tls.keyFile)
    args.push('--tls-ca-cert-file', spec.tls.caFile, '--tls-auth-clients', 'no')
  }
  const hasMasterauth = spec.extra.some(([k]) => k.toLowerCase() === 'masterauth')
  if (spec.password && !hasMasterauth) args.push('--masterauth', spec.password)
  for (const [key, value] of spec.extra) args.push(`--${key}`, ...splitArgs(value, key))
  return args
}

export interface SpawnedServer {
  pid: number
  child: ChildProcess
}

/** What redis-server prints before its logfile is open (config errors), next to the log. */
export const startupOutputFile = (spec: Pick<ServerSpec, 'dir'>) => join(spec.dir, 'startup.out')

export function spawnServer(spec: ServerSpec): SpawnedServer {
  // stdin ignored; stdout/stderr to a file, not a pipe: nothing ties the server to this process
  const out = openSync(startupOutputFile(spec), 'w')
  let child: ChildProcess
  try {
    child = spawn(spec.bin, serverArgs(spec), {detached: true, stdio: ['ignore', out, out], cwd: spec.dir})
  } finally {
    closeSync(out)
  }
  child.on('error', () => {
    // an exec failure shows as a missing PID / early exit
  })
  child.unref()
  if (child.pid === undefined) throw new ServerStartError(`could not start ${spec.bin}`, false)
  return {pid: child.pid, child}
}

export class ServerStartError extends Error {
  constructor(
    message: string,
    readonly addressInUse: boolean,
  ) {
    super(message)
    this.name = 'ServerStartError'
  }
}

/** The last lines of a server's log (or of what it printed before opening it), on one line. */
export async function logTail(spec: Pick<ServerSpec, 'dir' | 'logFile'>, lines = 4): Promise<string> {
  const read = (file: string) => readFile(file, 'utf8').catch(() => '')
  const text = [await read(spec.logFile), await read(startupOutputFile(spec))].join('\n')
  const tail = text
    .split('\n')
    .map((l) => l.replace(/^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ [*#.-] /, '').trim())
    .filter((l) => l.length > 0 && !/^[\s_.,`'\-|()/\\]*$/.test(l))
    .slice(-lines)
  return tail.length > 0 ? tail.join(' | ') : `(nothing in ${spec.logFile})`
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Resolves when this very server (its log says it is ready: another process on the port does not
 * count) answers PING; rejects with a ServerStartError carrying its last log lines otherwise.
 */
export async function waitReady(
  spec: ServerSpec,
  server: SpawnedServer,
  deadline: number,
  aborted: () => boolean = () => false,
): Promise<void> {
  const address = `${LAB_HOST}:${spec.port}`
  const exited = () => server.child.exitCode !== null || server.child.signalCode !== null
  const fail = async (why: string): Promise<never> => {
    const tail = await logTail(spec)
    throw new ServerStartError(`redis-server ${address} ${why}: ${tail}`, /Address already in use/i.test(tail))
  }
  let logReady = false
  let lastError = ''
  while (Date.now() < deadline) {
    if (aborted()) throw new ServerStartError(`start of ${address} abandoned`, false)
    if (exited()) return fail(`exited (code ${server.child.exitCode ?? server.child.signalCode})`)
    if (!logReady) {
      const log = await readFile(spec.logFile, 'utf8').catch(() => '')
      logReady = log.includes('Ready to accept connections')
    }
    if (logReady) {
      try {
        if (await pingNode(labTarget(LAB_HOST, spec.port, {password: spec.password, tls: spec.tls}, LAB_POLL_TIMEOUTS))) return
      } catch (error) {
        lastError = errorMessage(error)
      }
    }
    await sleep(logReady ? 50 : 15)
  }
  if (exited()) return fail(`exited (code ${server.child.exitCode ?? server.child.signalCode})`)
  return fail(`did not answer PING in time${lastError ? ` (${lastError})` : ''}`)
}
