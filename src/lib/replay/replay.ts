import {addressingProblem} from '../evidence/addressing.js'
import {buildEvidence} from '../evidence/build.js'
import {diagnose} from '../findings/engine.js'
import {groupSkipped, serverSummary} from '../report/summaries.js'
import {collectAll, fanOut} from '../redis/fan-out.js'
import {pingNode} from '../redis/session.js'
import {describeTarget, formatAddress, targetFor, type Target} from '../redis/target.js'
import {formatNatRule} from '../redis/nat.js'
import {discover, expectedIdsOf} from '../redis/topology.js'
import {errorMessage, RcdiagError, unreachableError} from '../shared/errors.js'
import {ensureKeysFree, planKeyspace, removeKeys, sampleKeys, writeKeys, type CleanupResult, type Keyspace} from './keys.js'
import {createModel} from './models/index.js'
import {buildReplayReport, type ReplayReport} from './report.js'
import {runSchedule, type ScheduleHooks} from './schedule.js'
import {estimateReplayMs} from './options.js'
import {ServerWatch} from './server-watch.js'
import {buildRun, runEvidence} from './summarize.js'
import type {ReplayRunEvidence} from './evidence.js'
import type {ReplaySettings, RunResult} from './types.js'

export type ReplayHooks = Omit<ScheduleHooks, 'deadline'> & {
  /** called once the run's keys are about to be written: their exact prefix and TTL */
  onKeys?: (keys: {prefix: string; ttlSec: number}) => void
}

/**
 * target → topology and slot map → a probe of every node → keys → one schedule per client model,
 * one after the other → keys removed → evidence → findings → report. The keys are this run's own
 * (`<prefix><runId>:<n>`, refused if any exists already) and are removed on every path out, including
 * an abort (Ctrl-C), a failed write and a failed model; the report says how many remain (0), or null
 * with the reason when a node could not be reached. A failure during cleanup never replaces the report.
 */
export async function replay(target: Target, settings: ReplaySettings, hooks: ReplayHooks = {}): Promise<ReplayReport> {
  const started = performance.now()
  const progress = hooks.onProgress ?? (() => {})
  const seedAddress = formatAddress(target.host, target.port)

  progress(`connecting to ${seedAddress}`)
  const discovery = await discover(target, {slotTable: true, requireCluster: 'replay models cluster clients and needs a Redis Cluster'})
  const {topology} = discovery
  const slots = discovery.slots ?? []
  const addresses = topology.nodes.map((n) => n.address)
  const masters = topology.nodes.filter((n) => n.role === 'master' && !n.failed).map((n) => n.address)

  const expectedIds = expectedIdsOf(topology)
  const view = {seed: discovery.seed, natMap: (target.natMap ?? []).map(formatNatRule)}

  progress(`probing ${addresses.length} nodes`)
  const initial = await collectAll(target, addresses, {mode: 'cluster', pings: 3, timeTopologyCall: true, expectedIds})
  // Every model follows the announced addresses: if they do not lead to the nodes, nothing can be replayed.
  const unusable = addressingProblem(buildEvidence(seedAddress, topology, initial, undefined, view).addressing)
  if (unusable) throw unreachableError(unusable)
  const watch = new ServerWatch(target, addresses, expectedIds)

  // --duration bounds the whole run: the workload stops early enough that removing the keys (one
  // connect and one reply per node, even from a node that stopped answering) still fits in.
  const deadline = settings.durationMs > 0 ? started + settings.durationMs : undefined
  const teardownMs = Math.min(settings.durationMs / 4, target.connectTimeoutMs + 2 * target.commandTimeoutMs)
  const workloadDeadline = deadline === undefined ? undefined : deadline - teardownMs
  const stopped = () => Boolean(hooks.signal?.aborted) || (workloadDeadline !== undefined && performance.now() >= workloadDeadline)
  const runs: RunResult[] = []
  const evidenceRuns: ReplayRunEvidence[] = []
  let keyspace: Keyspace | undefined
  let creating = false
  let failure: {error: unknown} | undefined
  try {
    if (settings.keysFrom) {
      progress(`sampling hashes matching ${settings.keysFrom}`)
      keyspace = await sampleKeys(target, masters, settings.keysFrom, settings.keys, settings.fields)
    } else if (!stopped()) {
      const planned = planKeyspace(settings.prefix, settings.keys, settings.fields)
      progress(`creating ${settings.keys} hashes under ${planned.prefix}`)
      // The key checks and writes stop at the workload's deadline too (or on Ctrl-C).
      const keySignal = boundedSignal(hooks.signal, workloadDeadline)
      await ensureKeysFree(target, slots, planned, keySignal)
      if (!stopped()) {
        // From here on every path out removes them, even if writing fails halfway.
        keyspace = planned
        hooks.onKeys?.({prefix: planned.prefix ?? '', ttlSec: settings.keyTtlSec})
        creating = true
        await writeKeys(target, slots, planned, settings.keyTtlSec, keySignal)
        // cut short by Ctrl-C or the deadline, the keyspace is half-written: it goes even with --no-cleanup
        if (!keySignal?.aborted) creating = false
      }
    }

    const estimateMs = estimateReplayMs(settings)
    for (const [index, client] of settings.clients.entries()) {
      if (!keyspace || stopped()) break
      const model = createModel(client, {target, nodes: addresses, slots, workers: settings.concurrency})
      // overall progress: which model of how many, and about how long the whole run has left
      const modelProgress = (text: string) => {
        const left = Math.max(0, estimateMs - (performance.now() - started))
        progress(`model ${index + 1}/${settings.clients.length}, about ${formatRemaining(left)} left overall; ${text}`)
      }
      const modelStarted = performance.now()
      try {
        const {phases, firstOps, ...end} = await runSchedule(model, keyspace, settings, watch, {
          ...hooks,
          onProgress: modelProgress,
          deadline: workloadDeadline,
          slots,
          stallAfterMs: 2 * target.commandTimeoutMs,
          silentNodes: (nodes) => silentNodes(target, nodes),
        })
        const run = buildRun(client, model.connectionName, phases, firstOps, end)
        runs.push(run)
        evidenceRuns.push(runEvidence(run, firstOps))
      } catch (error) {
        // A model that cannot start because a node answers nothing is that node's finding, not the
        // end of the replay: the other models still run. Any other failure ends it.
        const silent = error instanceof RcdiagError ? await silentNodes(target, masters) : []
        if (silent.length === 0) throw error
        const run = {
          ...buildRun(client, model.connectionName, [], new Map(), {interrupted: false, durationReached: false}),
          failed: `${errorMessage(error)}; ${silent.join(', ')} answer${silent.length === 1 ? 's' : ''} nothing`,
        }
        runs.push(run)
        const silentMs = Math.round(performance.now() - modelStarted)
        evidenceRuns.push({
          ...runEvidence(run),
          stalls: silent.map((node) => ({node, phase: 'warmup' as const, cycle: 0, silentMs, timeouts: 0})),
        })
      } finally {
        await model.close()
      }
    }
  } catch (error) {
    failure = {error}
  }

  // A half-written keyspace is useless, so it goes even with --no-cleanup.
  let cleanup: CleanupResult | undefined
  if (keyspace?.owned && (settings.cleanup || creating)) {
    progress(`removing replay keys under ${keyspace.prefix}`)
    cleanup = await removeKeys(target, addresses, slots, keyspace, deadline)
  }
  if (failure) throw withCleanupNote(failure.error, keyspace, cleanup)

  const evidence = buildEvidence(seedAddress, topology, initial, undefined, view)
  evidence.replay = {idleMs: settings.idleMs, cycles: settings.cycles, concurrency: settings.concurrency, runs: evidenceRuns}
  const timeouts = evidence.nodes.map((n) => n.config.timeout).filter((v): v is number => typeof v === 'number')
  const keepalives = evidence.nodes.map((n) => n.config['tcp-keepalive']).filter((v): v is number => typeof v === 'number')
  return buildReplayReport({
    target: describeTarget(target),
    durationMs: Math.round(performance.now() - started),
    interrupted: Boolean(hooks.signal?.aborted) || runs.some((r) => r.interrupted),
    durationReached: !hooks.signal?.aborted && (runs.some((r) => r.durationReached) || runs.length < settings.clients.length),
    settings,
    cluster: {
      masters: masters.length,
      replicas: topology.nodes.filter((n) => n.role === 'replica').length,
      serverTimeoutSec: timeouts.length > 0 ? Math.max(...timeouts) : null,
      tcpKeepaliveSec: keepalives.length > 0 ? Math.min(...keepalives) : null,
    },
    natMap: view.natMap,
    servers: serverSummary(evidence.nodes),
    skipped: groupSkipped(evidence.nodes),
    keys: keysReport(settings, keyspace, cleanup),
    runs,
    findings: diagnose(evidence),
  })
}

/** "12 min", "45 s": a remaining time for a progress line. */
function formatRemaining(ms: number): string {
  const sec = Math.ceil(ms / 1000)
  return sec >= 120 ? `${Math.round(sec / 60)} min` : `${sec} s`
}

/** The nodes that do not answer a PING on a connection of rcdiag's own (within the connect and command timeouts). */
async function silentNodes(target: Target, nodes: string[]): Promise<string[]> {
  const answers = await fanOut(nodes, (address) => pingNode(targetFor(target, address)).catch(() => false))
  return nodes.filter((_, i) => !answers[i])
}

/** `signal`, also aborted at `deadline` (performance.now() based); undefined when neither is set. */
function boundedSignal(signal: AbortSignal | undefined, deadline: number | undefined): AbortSignal | undefined {
  if (deadline === undefined) return signal
  const timeout = AbortSignal.timeout(Math.max(0, Math.round(deadline - performance.now())))
  return signal ? AbortSignal.any([signal, timeout]) : timeout
}

function keysReport(settings: ReplaySettings, keyspace: Keyspace | undefined, cleanup: CleanupResult | undefined): ReplayReport['keys'] {
  const owned = Boolean(keyspace?.owned)
  const report: ReplayReport['keys'] = {
    mode: settings.keysFrom ? 'sampled' : 'created',
    count: keyspace?.keys.length ?? 0,
    fields: keyspace?.fields.length ?? settings.fields,
    removed: owned && cleanup !== undefined,
    remaining: cleanup ? cleanup.remaining : owned ? (keyspace?.keys.length ?? 0) : 0,
  }
  if (keyspace?.runId) Object.assign(report, {runId: keyspace.runId, prefix: keyspace.prefix})
  if (cleanup?.error) report.cleanupError = cleanup.error
  return report
}

/** The original error, one line, with what happened to the keys appended (same code, same exit status). */
function withCleanupNote(error: unknown, keyspace: Keyspace | undefined, cleanup: CleanupResult | undefined): unknown {
  if (!keyspace?.owned || !(error instanceof Error)) return error
  const note = !cleanup
    ? `replay keys under ${keyspace.prefix} kept (--no-cleanup)`
    : cleanup.remaining === 0
      ? `replay keys under ${keyspace.prefix} removed again, 0 remain`
      : `replay keys under ${keyspace.prefix}: ${cleanup.error ?? `${cleanup.remaining} remain`}`
  const code = error instanceof RcdiagError ? error.code : 'INTERNAL'
  return new RcdiagError(code, `${error.message} (${note})`, {cause: error})
}
