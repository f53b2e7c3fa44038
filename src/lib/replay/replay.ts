import {collectAll} from '../collect/collect-all.js'
import {closeConnection, connectionError, openConnection} from '../connect/client.js'
import {describeTarget, formatAddress, type Target} from '../connect/target.js'
import {usageError} from '../errors.js'
import {buildEvidence} from '../evidence/build.js'
import {parseClusterSlots} from '../parse/cluster-slots.js'
import {diagnose} from '../rules/index.js'
import {discoverTopology, type Topology} from '../topology/discover.js'
import {createKeys, removeKeys, sampleKeys, type Keyspace} from './keys.js'
import {createModel} from './models/index.js'
import {buildReplayReport, type ReplayReport} from './report.js'
import {runSchedule, type ScheduleHooks} from './schedule.js'
import {ServerWatch} from './server-watch.js'
import {slotTableFrom} from './slot-table.js'
import {buildRun, runEvidence} from './summarize.js'
import type {ReplaySettings, RunResult} from './types.js'

export type ReplayHooks = Omit<ScheduleHooks, 'deadline'>

/**
 * target → topology and slot map → a probe of every node → keys → one schedule per client model,
 * one after the other → keys removed → evidence → findings → report. Keys rcdiag created are removed
 * on every path out, including an abort (Ctrl-C), and the report says how many remain (0).
 */
export async function replay(target: Target, settings: ReplaySettings, hooks: ReplayHooks = {}): Promise<ReplayReport> {
  const started = performance.now()
  const progress = hooks.onProgress ?? (() => {})
  const seedAddress = formatAddress(target.host, target.port)

  progress(`connecting to ${seedAddress}`)
  const {topology, slots} = await discover(target, seedAddress)
  const addresses = topology.nodes.map((n) => n.address)
  const masters = topology.nodes.filter((n) => n.role === 'master' && !n.failed).map((n) => n.address)

  progress(`probing ${addresses.length} nodes`)
  const initial = await collectAll(target, addresses, {mode: 'cluster', pings: 3, timeTopologyCall: true})
  const watch = new ServerWatch(target, addresses)

  const deadline = settings.durationMs > 0 ? started + settings.durationMs : undefined
  const runs: RunResult[] = []
  let keyspace: Keyspace | undefined
  let remaining = 0
  try {
    progress(settings.keysFrom ? `sampling hashes matching ${settings.keysFrom}` : `creating ${settings.keys} hashes under ${settings.prefix}`)
    keyspace = settings.keysFrom
      ? await sampleKeys(target, masters, settings.keysFrom, settings.keys, settings.fields)
      : await createKeys(target, slots, settings.prefix, settings.keys, settings.fields, settings.keyTtlSec)

    for (const client of settings.clients) {
      if (hooks.signal?.aborted || (deadline !== undefined && performance.now() >= deadline)) break
      const model = createModel(client, {target, nodes: addresses, slots, workers: settings.concurrency})
      try {
        const {phases, firstOps, interrupted} = await runSchedule(model, keyspace, settings, watch, {...hooks, deadline})
        runs.push(buildRun(client, model.connectionName, phases, firstOps, interrupted))
      } finally {
        await model.close()
      }
    }
  } finally {
    if (keyspace?.owned && settings.cleanup) {
      progress('removing replay keys')
      remaining = await removeKeys(target, slots, keyspace)
    } else if (keyspace?.owned) {
      remaining = keyspace.keys.length
    }
  }

  const evidence = buildEvidence(seedAddress, topology, initial)
  evidence.replay = {idleMs: settings.idleMs, cycles: settings.cycles, concurrency: settings.concurrency, runs: runs.map(runEvidence)}
  const timeouts = evidence.nodes.map((n) => n.config.timeout).filter((v): v is number => typeof v === 'number')
  const keepalives = evidence.nodes.map((n) => n.config['tcp-keepalive']).filter((v): v is number => typeof v === 'number')
  return buildReplayReport({
    target: describeTarget(target),
    durationMs: Math.round(performance.now() - started),
    interrupted: Boolean(hooks.signal?.aborted) || runs.some((r) => r.interrupted) || runs.length < settings.clients.length,
    settings,
    cluster: {
      masters: masters.length,
      replicas: topology.nodes.filter((n) => n.role === 'replica').length,
      serverTimeoutSec: timeouts.length > 0 ? Math.max(...timeouts) : null,
      tcpKeepaliveSec: keepalives.length > 0 ? Math.min(...keepalives) : null,
    },
    keys: {
      mode: settings.keysFrom ? 'sampled' : 'created',
      count: keyspace?.keys.length ?? 0,
      fields: keyspace?.fields.length ?? settings.fields,
      removed: Boolean(keyspace?.owned && settings.cleanup),
      remaining,
    },
    runs,
    findings: diagnose(evidence),
  })
}

async function discover(target: Target, seedAddress: string): Promise<{topology: Topology; slots: Array<string | undefined>}> {
  const seed = await openConnection(target)
  try {
    const topology = await discoverTopology(seed, target.host, target.port, Boolean(target.tls))
    if (topology.mode !== 'cluster') {
      throw usageError(`${seedAddress} is a standalone Redis; replay models cluster clients and needs a Redis Cluster`)
    }
    const slots = slotTableFrom(parseClusterSlots(await seed.call('CLUSTER', 'SLOTS')))
    return {topology, slots}
  } catch (error) {
    throw error instanceof Error && 'exitCode' in error ? error : connectionError(seedAddress, error)
  } finally {
    closeConnection(seed)
  }
}
