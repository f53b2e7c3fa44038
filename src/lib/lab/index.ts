import {mkdir, mkdtemp, rm} from 'node:fs/promises'
import {accessSync, constants} from 'node:fs'
import {basename, isAbsolute, join} from 'node:path'

import {registerSecret} from '../shared/redact.js'
import {labError, usageError} from '../shared/errors.js'
import {versionAtLeast} from '../parse/server.js'
import {findServerBinary, serverBinaryIdentity} from './binary.js'
import {formCluster, slotRanges} from './cluster.js'
import {configValue, redactConfig, validateConfigPair} from './config.js'
import {allocatePorts, BUS_OFFSET, LAB_HOST} from './ports.js'
import {isRedisPid, stopPids} from './process.js'
import {type ServerSpec, ServerStartError, spawnServer, type SpawnedServer, waitReady} from './server.js'
import {
  acquireStartLock,
  DEFAULT_LAB_NAME,
  defaultStateDir,
  readStateFile,
  removeStateFile,
  stateFilePath,
  validateLabName,
  writeStateFile,
  writeStateFileSync,
} from './state.js'
import type {LabNode, LabOptions, LabState, ResolvedLabOptions} from './types.js'

/** Public API of rcdiag's throw-away local labs: start, stop, read, status. */

export type {LabNode, LabNodeStatus, LabOptions, LabRole, LabState, LabStatus, LabTlsFiles, ResolvedLabOptions} from './types.js'
export {labStatus} from './status.js'
export {parseConfigFlag} from './config.js'
export {defaultStateDir, DEFAULT_LAB_NAME} from './state.js'
export {isRedisPid} from './process.js'

const MAX_NODES = 200
const PORT_RETRIES = 5

function integer(value: number | undefined, fallback: number, what: string, min: number, max: number): number {
  const v = value ?? fallback
  if (!Number.isInteger(v) || v < min || v > max) throw usageError(`${what} must be an integer from ${min} to ${max} (got ${v})`)
  return v
}

function resolveOptions(opts: LabOptions): ResolvedLabOptions & {rawConfig: Array<[string, string]>} {
  if (opts.host !== undefined && opts.host !== LAB_HOST) throw usageError(`labs listen on ${LAB_HOST} only`)
  const standalone = Boolean(opts.standalone)
  if (opts.tls && !standalone) throw usageError('a TLS lab must be standalone')
  if (opts.tls) {
    for (const file of [opts.tls.certFile, opts.tls.keyFile, opts.tls.caFile]) {
      try {
        accessSync(file, constants.R_OK)
      } catch {
        throw usageError(`TLS file not readable: ${file}`)
      }
    }
  }
  const rawConfig = (opts.config ?? []).map(([k, v]) => [String(k), String(v)] as [string, string])
  for (const pair of rawConfig) validateConfigPair(pair)
  const masters = standalone ? 1 : integer(opts.masters, 3, 'masters', 1, MAX_NODES)
  const replicas = standalone ? 0 : integer(opts.replicas, 1, 'replicas', 0, 10)
  if (masters * (1 + replicas) > MAX_NODES) throw usageError(`a lab has at most ${MAX_NODES} nodes`)
  return {
    masters,
    replicas,
    port: opts.port === undefined ? undefined : integer(opts.port, 0, 'port', 1024, standalone ? 65_535 : 65_535 - BUS_OFFSET),
    timeoutSec: integer(opts.timeoutSec, 0, 'timeout', 0, 2_000_000_000),
    tcpKeepaliveSec: integer(opts.tcpKeepaliveSec, 300, 'tcp-keepalive', 0, 2_000_000_000),
    clusterNodeTimeoutMs: integer(opts.clusterNodeTimeoutMs, 3000, 'cluster-node-timeout', 50, 2_000_000_000),
    config: redactConfig(rawConfig),
    rawConfig,
    standalone,
    tls: opts.tls,
    name: validateLabName(opts.name ?? DEFAULT_LAB_NAME),
    stateDir: opts.stateDir ?? defaultStateDir(),
    host: LAB_HOST,
  }
}

/** The state without its password: what is printed. */
export function publicLabState(state: LabState): Omit<LabState, 'password'> {
  const {password: _password, ...rest} = state
  return rest
}

/** Some recorded PID is still a live redis-server. */
export function isLabRunning(state: LabState): boolean {
  return state.nodes.some((n) => isRedisPid(n.pid))
}

export async function readLab(name: string = DEFAULT_LAB_NAME, stateDir: string = defaultStateDir()): Promise<LabState | undefined> {
  const state = await readStateFile(stateFilePath(stateDir, validateLabName(name)))
  if (state?.password) registerSecret(state.password)
  return state
}

/** Removes a lab's data directory, refusing paths that do not look like one of ours. */
async function removeDataDir(state: Pick<LabState, 'name' | 'dataDir'>): Promise<void> {
  const dir = state.dataDir
  if (!dir || !isAbsolute(dir) || !basename(dir).startsWith(`${state.name}-`) || dir.split('/').filter(Boolean).length < 2) return
  await rm(dir, {recursive: true, force: true})
}

/** Replica k follows master k mod masters, as redis-cli spreads them. */
function assignReplicas(nodes: LabNode[], masters: number): void {
  nodes.forEach((n, i) => {
    if (n.role === 'replica') n.replicaOf = nodes[(i - masters) % masters]!.address
  })
}

export async function stopLab(state: LabState): Promise<void> {
  await stopPids(state.nodes.map((n) => n.pid))
  await removeDataDir(state)
  await removeStateFile(state.stateFile)
}

export async function startLab(opts: LabOptions = {}): Promise<LabState> {
  const o = resolveOptions(opts)
  const progress = opts.onProgress ?? (() => {})
  const bin = findServerBinary(opts.serverBin)
  const server = await serverBinaryIdentity(bin)
  const password = configValue(o.rawConfig, 'requirepass') || undefined
  registerSecret(password)

  const signal = opts.signal
  const release = await acquireStartLock(o.stateDir, o.name)
  const stateFile = stateFilePath(o.stateDir, o.name)
  const started: number[] = []
  let dataDir: string | undefined
  let wroteState = false
  let failed = false
  const checkAborted = () => {
    if (signal?.aborted) throw labError('interrupted')
  }
  try {
    checkAborted()
    const existing = await readStateFile(stateFile)
    if (existing) {
      if (isLabRunning(existing)) {
        const nameFlag = o.name === DEFAULT_LAB_NAME ? '' : ` --name ${o.name}`
        throw labError(
          `lab "${o.name}" is already running (${existing.nodes.length} node(s), seed ${existing.seed}); stop it first with: rcdiag lab down${nameFlag}`,
        )
      }
      await removeDataDir(existing) // stale: its servers are gone
      await removeStateFile(stateFile)
    }

    dataDir = await mkdtemp(join(o.stateDir, `${o.name}-`))
    const count = o.standalone ? 1 : o.masters * (1 + o.replicas)
    const withBus = !o.standalone
    const ports = await allocatePorts(count, {start: o.port, withBus})
    const ranges = slotRanges(o.masters)
    const nodes: LabNode[] = ports.map((port, i) => {
      const dir = join(dataDir!, `node-${String(i + 1).padStart(2, '0')}`)
      const node: LabNode = {
        address: `${LAB_HOST}:${port}`,
        host: LAB_HOST,
        port,
        busPort: withBus ? port + BUS_OFFSET : undefined,
        pid: 0,
        role: o.standalone ? 'standalone' : i < o.masters ? 'master' : 'replica',
        dir,
        logFile: join(dir, 'redis.log'),
      }
      if (node.role === 'master') node.slots = ranges[i]
      return node
    })
    assignReplicas(nodes, o.masters)
    await Promise.all(nodes.map((n) => mkdir(n.dir)))

    const {rawConfig: _raw, ...options} = o
    const state: LabState = {
      name: o.name,
      stateFile,
      dataDir,
      createdAt: new Date().toISOString(),
      standalone: o.standalone,
      seed: nodes[0]!.address,
      tls: Boolean(o.tls),
      redisVersion: server.version,
      server,
      nodes,
      options,
      ...(password ? {password} : {}),
    }

    const specFor = (n: LabNode): ServerSpec => ({
      bin,
      port: n.port,
      dir: n.dir,
      logFile: n.logFile,
      cluster: !o.standalone,
      timeoutSec: o.timeoutSec,
      tcpKeepaliveSec: o.tcpKeepaliveSec,
      clusterNodeTimeoutMs: o.clusterNodeTimeoutMs,
      debugCommandOption: versionAtLeast(server.version, '7.0'),
      extra: o.rawConfig,
      tls: o.tls,
      password,
    })
    // Every PID is recorded (synchronously) as soon as it exists, so that `lab down` can clean up
    // even if this process is killed mid-start.
    const launch = (n: LabNode): SpawnedServer => {
      const server = spawnServer(specFor(n))
      n.pid = server.pid
      started.push(server.pid)
      writeStateFileSync(state)
      wroteState = true
      return server
    }

    checkAborted()
    progress(`Starting ${count} redis-server process${count === 1 ? '' : 'es'}`)
    const servers = nodes.map(launch)

    const readyDeadline = Date.now() + 10_000 + 250 * count
    let portLock: Promise<unknown> = Promise.resolve()
    await Promise.all(
      nodes.map(async (node, i) => {
        let server = servers[i]!
        for (let attempt = 1; ; attempt++) {
          try {
            await waitReady(specFor(node), server, readyDeadline, () => failed || Boolean(signal?.aborted))
            return
          } catch (error) {
            failed ||= !(error instanceof ServerStartError && error.addressInUse && attempt < PORT_RETRIES)
            if (failed) throw error instanceof ServerStartError ? labError(error.message) : error
          }
          // someone took the port between the check and the bind: move this node to other free ports
          const move = portLock.then(async () => {
            const used = nodes.flatMap((n) => [n.port, n.port + BUS_OFFSET])
            const [port] = await allocatePorts(1, {withBus, exclude: used})
            node.port = port!
            node.address = `${LAB_HOST}:${port}`
            if (withBus) node.busPort = port! + BUS_OFFSET
          })
          portLock = move.catch(() => {})
          await move
          await rm(node.logFile, {force: true})
          await rm(join(node.dir, 'nodes.conf'), {force: true})
          // the whole start may have failed meanwhile: then no new server (nobody would stop it)
          if (failed || signal?.aborted) throw labError(`start of ${node.address} abandoned`)
          server = launch(node)
        }
      }),
    )
    // ports may have moved
    assignReplicas(nodes, o.masters)
    state.seed = nodes[0]!.address
    await writeStateFile(state)
    checkAborted()

    if (!o.standalone) {
      try {
        await formCluster(nodes, {password, deadline: Date.now() + 20_000 + 500 * count, onProgress: progress, signal})
      } catch (error) {
        checkAborted()
        const message = (error as Error).message.split('\n')[0]
        throw labError(message.startsWith('cluster did not form') ? message : `forming the cluster failed: ${message}`)
      }
      await writeStateFile(state)
    }
    return state
  } catch (error) {
    failed = true
    await stopPids(started).catch(() => {})
    if (dataDir) await rm(dataDir, {recursive: true, force: true}).catch(() => {})
    if (wroteState) await removeStateFile(stateFile).catch(() => {})
    if (signal?.aborted) throw labError(`interrupted: lab "${o.name}" was not started, and what had started was stopped`)
    throw error
  } finally {
    await release()
  }
}
