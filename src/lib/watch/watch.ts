import {setTimeout as sleep} from 'node:timers/promises'

import {THRESHOLDS as CHURN} from '../findings/connection-churn/catalog.js'
import {THRESHOLDS as STORM} from '../findings/topology-refresh-storm/catalog.js'
import {nodeErrorText} from '../redis/failures.js'
import {fanOut} from '../redis/fan-out.js'
import {NodeSession} from '../redis/session.js'
import {describeTarget, targetFor, type Target} from '../redis/target.js'
import {discover} from '../redis/topology.js'
import {RcdiagError} from '../shared/errors.js'
import {RCDIAG_VERSION, SCHEMA_VERSION} from '../shared/version.js'
import {baselineOf, isAnomalous, RingBuffer} from './baseline.js'
import type {NodeCounters} from './counters.js'
import {intervalDelta, type IntervalDelta} from './delta.js'
import {EpisodeTracker, type Anomaly, type Episode} from './episodes.js'
import {NodeSampler, OWN_CALLS_PER_READ} from './sampler.js'

/** The rates a watch follows, per second, with the floor below which nothing is an episode and the finding it points to. */
const METRICS = {
  topologyCallsPerSec: {pick: (d: IntervalDelta) => d.topologyCalls, floor: STORM.minPerSec, finding: 'topology-refresh-storm'},
  newConnectionsPerSec: {pick: (d: IntervalDelta) => d.newConnections, floor: CHURN.minPerSec, finding: 'connection-churn'},
  movedPerSec: {pick: (d: IntervalDelta) => d.moved, floor: 1, finding: 'slot-migration'},
  askPerSec: {pick: (d: IntervalDelta) => d.ask, floor: 1, finding: 'slot-migration'},
  rejectedConnectionsPerSec: {pick: (d: IntervalDelta) => d.rejectedConnections, floor: 1, finding: 'client-limit'},
  evictedKeysPerSec: {pick: (d: IntervalDelta) => d.evictedKeys, floor: 1, finding: 'memory-pressure'},
  slowlogEntriesPerSec: {pick: (d: IntervalDelta) => d.slowlogNew, floor: 1, finding: 'slow-commands'},
} as const
export type WatchMetric = keyof typeof METRICS
const METRIC_NAMES = Object.keys(METRICS) as WatchMetric[]

/** How many intervals the baseline remembers, and how many it needs before anything can stand out. */
const WINDOW_INTERVALS = 120
const MIN_BASELINE_INTERVALS = 4

export interface WatchOptions {
  intervalMs: number
  /** stop after this long; undefined: until the signal */
  durationMs?: number
  /** stop after this many episodes */
  maxEpisodes?: number
  /** stop right after an episode for which this says true (--fail-on) */
  stopAfter?: (episode: WatchEpisode) => boolean
  signal?: AbortSignal
  onSample?: (sample: WatchSample) => void
  onEpisode?: (episode: WatchEpisode) => void
  onProgress?: (text: string) => void
}

export interface NodeSample {
  address: string
  reachable: boolean
  error?: string
  restarted?: boolean
  roleChanged?: boolean
  latencyEvents?: string[]
  /** per second over the interval; null: unknown (the server cannot count it, or the counter reset) */
  rates?: Record<WatchMetric, number | null>
}

export interface WatchSample {
  at: string
  intervalMs: number
  /** summed over the nodes read; null when no node could give it */
  cluster: Record<WatchMetric, number | null>
  nodes: NodeSample[]
}

export interface WatchEpisode extends Episode {
  index: number
  /** the finding ids its metrics point to */
  matches: string[]
  /** critical when a node stopped answering (node-blocked), else warning: what --fail-on compares */
  severity: 'warning' | 'critical'
}

export interface WatchReport {
  schemaVersion: number
  command: 'watch'
  rcdiagVersion: string
  generatedAt: string
  target: string
  startedAt: string
  durationMs: number
  intervalMs: number
  intervals: number
  nodes: string[]
  episodes: WatchEpisode[]
  /** what the watch itself cost each node */
  ownCost: {readsPerNodePerSec: number; commandsPerNodePerSec: number}
  /** ended by Ctrl-C (a normal end for a watch: the summary is complete up to then) */
  interrupted: boolean
  /** why the watch ended */
  endedBy: 'duration' | 'max-episodes' | 'fail-on' | 'interrupted'
}

/**
 * Watches every node at low cost: one pipelined read per node per interval on a long-lived
 * connection, deltas per interval with rcdiag's own calls subtracted, a robust baseline per rate
 * over the recent window, and episodes of consecutive intervals that stand out from it.
 */
export async function watch(target: Target, options: WatchOptions): Promise<WatchReport> {
  const started = Date.now()
  const {topology} = await discover(target)
  // nodes the cluster already marks failed would be an anomaly in every interval: one endless episode
  const addresses = topology.nodes.filter((n) => !n.failed).map((n) => n.address)
  const sessions = addresses.map((address) => new NodeSession(targetFor(target, address)))
  const timeoutMs = Math.min(target.commandTimeoutMs, Math.max(options.intervalMs, 250))
  const samplers = addresses.map((address, i) => new NodeSampler(address, sessions[i], timeoutMs, target.connectTimeoutMs))
  const previous = new Map<string, NodeCounters>()
  const rings = new Map<WatchMetric, RingBuffer>(METRIC_NAMES.map((m) => [m, new RingBuffer(WINDOW_INTERVALS)]))
  const tracker = new EpisodeTracker()
  const episodes: WatchEpisode[] = []
  const progress = options.onProgress ?? (() => {})
  let intervals = 0
  let reads = 0
  let stoppedAfter = false

  const close = (episode: Episode | undefined) => {
    if (!episode) return
    const matches: string[] = [
      ...new Set(Object.keys(episode.peaks).map((metric): string => METRICS[metric as WatchMetric]?.finding ?? metricFinding(metric))),
    ]
    const closed: WatchEpisode = {
      ...episode,
      index: episodes.length + 1,
      matches,
      severity: matches.includes('node-blocked') ? 'critical' : 'warning',
    }
    episodes.push(closed)
    options.onEpisode?.(closed)
    if (options.stopAfter?.(closed)) stoppedAfter = true
  }
  const done = () =>
    stoppedAfter ||
    Boolean(options.signal?.aborted) ||
    (options.durationMs !== undefined && Date.now() - started >= options.durationMs) ||
    (options.maxEpisodes !== undefined && episodes.length >= options.maxEpisodes)

  try {
    let tickAt = Date.now()
    while (!done()) {
      const intervalStart = tickAt
      const results = await fanOut(samplers, (sampler) =>
        sampler.read().then(
          (value) => ({ok: true as const, ...value}),
          (error: unknown) => {
            // a refused INFO is no outage: the watch cannot work for this user, said once
            if (error instanceof RcdiagError && error.code === 'AUTH') throw error
            return {ok: false as const, error: nodeErrorText(sampler.address, error)}
          },
        ),
      )
      reads += samplers.length
      const nodes: NodeSample[] = results.map((result, i) => {
        const address = addresses[i]
        if (!result.ok) return {address, reachable: false, error: result.error}
        const prev = previous.get(address)
        previous.set(address, result.counters)
        if (!prev) return {address, reachable: true}
        const delta = intervalDelta(prev, result.counters, OWN_CALLS_PER_READ, result.ownConnections)
        const seconds = Math.max(delta.durationMs, 1) / 1000
        const rates = Object.fromEntries(
          METRIC_NAMES.map((m) => {
            const value = METRICS[m].pick(delta)
            return [m, value === null ? null : round(value / seconds)]
          }),
        ) as Record<WatchMetric, number | null>
        return {
          address,
          reachable: true,
          restarted: delta.restarted,
          roleChanged: delta.roleChanged,
          latencyEvents: delta.latencyEvents,
          rates,
        }
      })
      const measured = nodes.filter((n) => n.rates)
      const cluster = Object.fromEntries(
        METRIC_NAMES.map((m) => {
          const known = measured.map((n) => n.rates![m]).filter((v): v is number => v !== null)
          return [m, known.length === 0 ? null : round(known.reduce((a, b) => a + b, 0))]
        }),
      ) as Record<WatchMetric, number | null>

      const anomalies: Anomaly[] = []
      if (measured.length > 0) {
        intervals++
        for (const metric of METRIC_NAMES) {
          const value = cluster[metric]
          if (value === null) continue
          const ring = rings.get(metric)!
          const base = baselineOf(ring.snapshot())
          if (ring.size >= MIN_BASELINE_INTERVALS && isAnomalous(value, base, METRICS[metric].floor)) {
            const top = measured.reduce((best, n) => ((n.rates![metric] ?? 0) > (best.rates![metric] ?? 0) ? n : best))
            anomalies.push({metric, node: top.address, value, baselineMedian: base.median})
          }
          ring.push(value)
        }
      }
      // events that are anomalous by themselves: a latency spike, a role change, a node that stopped answering
      for (const node of nodes) {
        if (!node.reachable) anomalies.push({metric: 'unreachableNodes', node: node.address, value: 1, baselineMedian: 0})
        if (node.roleChanged) anomalies.push({metric: 'roleChanges', node: node.address, value: 1, baselineMedian: 0})
        for (const event of node.latencyEvents ?? [])
          anomalies.push({metric: `latency:${event}`, node: node.address, value: 1, baselineMedian: 0})
      }
      const intervalEnd = Date.now()
      close(tracker.feed(intervalStart, intervalEnd, anomalies))
      options.onSample?.({at: new Date(intervalEnd).toISOString(), intervalMs: intervalEnd - intervalStart, cluster, nodes})
      progress(`watching ${addresses.length} nodes: ${intervals} intervals, ${episodes.length} episode(s)`)

      tickAt += options.intervalMs
      // never sleep past --duration (an interval longer than the duration)
      const left = options.durationMs === undefined ? Number.POSITIVE_INFINITY : started + options.durationMs - Date.now()
      const wait = Math.min(tickAt - Date.now(), left)
      if (wait > 0) await sleep(wait, undefined, {signal: options.signal}).catch(() => undefined)
      else tickAt = Date.now() // slower than the interval: no catching up in bursts
    }
    close(tracker.flush())
  } finally {
    for (const session of sessions) session.close()
  }
  const durationMs = Date.now() - started
  const perNodePerSec = addresses.length > 0 && durationMs > 0 ? reads / addresses.length / (durationMs / 1000) : 0
  const interrupted = Boolean(options.signal?.aborted) && !stoppedAfter
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'watch',
    rcdiagVersion: RCDIAG_VERSION,
    generatedAt: new Date().toISOString(),
    target: describeTarget(target),
    startedAt: new Date(started).toISOString(),
    durationMs,
    intervalMs: options.intervalMs,
    intervals,
    nodes: addresses,
    episodes,
    ownCost: {readsPerNodePerSec: round(perNodePerSec), commandsPerNodePerSec: round(perNodePerSec * 3)},
    interrupted,
    endedBy: stoppedAfter
      ? 'fail-on'
      : interrupted
        ? 'interrupted'
        : options.maxEpisodes !== undefined && episodes.length >= options.maxEpisodes
          ? 'max-episodes'
          : 'duration',
  }
}

function metricFinding(metric: string): string {
  if (metric === 'unreachableNodes') return 'node-blocked'
  if (metric === 'roleChanges') return 'recent-failover'
  if (metric.startsWith('latency:')) return 'server-latency-events'
  return metric
}

const round = (value: number) => Math.round(value * 100) / 100
