import {setTimeout as sleep} from 'node:timers/promises'

import {collectAll} from '../redis/fan-out.js'
import {DEFAULT_NODE_CONCURRENCY} from '../shared/constants.js'
import type {CollectedNode} from '../redis/snapshot-types.js'
import {describeTarget, formatAddress, type Target} from '../redis/target.js'
import {buildEvidence} from '../evidence/build.js'
import {computeRates} from '../evidence/rates.js'
import {diagnose} from '../findings/engine.js'
import {formatNatRule} from '../redis/nat.js'
import {discover, expectedIdsOf} from '../redis/topology.js'
import {buildProbeReport, type ProbeReport} from '../report/probe-report.js'

export interface ProbeOptions {
  /** take a second snapshot after this long and report rates; 0 or undefined: no sample */
  sampleMs?: number
  /** nodes probed at once (default 16) */
  concurrency?: number
  /** PINGs per node for the RTT median (default 3) */
  pings?: number
  /** aborting during the sample wait ends the sample early; the report is still produced */
  signal?: AbortSignal
  onProgress?: (message: string) => void
}

/** target → topology → snapshots (→ second snapshots) → evidence → findings → report. */
export async function probe(target: Target, options: ProbeOptions = {}): Promise<ProbeReport> {
  const startedAt = Date.now()
  const seedAddress = formatAddress(target.host, target.port)
  const progress = options.onProgress ?? (() => {})

  progress(`connecting to ${seedAddress}`)
  const discovery = await discover(target)
  const {topology} = discovery
  const addresses = topology.nodes.map((n) => n.address)
  const concurrency = options.concurrency ?? DEFAULT_NODE_CONCURRENCY
  const expectedIds = expectedIdsOf(topology)

  progress(`probing ${addresses.length} node${addresses.length === 1 ? '' : 's'}`)
  const first = await collectAll(
    target,
    addresses,
    {mode: topology.mode, pings: options.pings ?? 3, timeTopologyCall: true, expectedIds},
    concurrency,
  )

  let latest: CollectedNode[] = first
  let sample
  let sampleInterrupted = false
  if (options.sampleMs && options.sampleMs > 0) {
    progress(`sampling for ${Math.round(options.sampleMs / 100) / 10}s`)
    sampleInterrupted = !(await wait(options.sampleMs, options.signal))
    const second = await collectAll(target, addresses, {mode: topology.mode, pings: 0, timeTopologyCall: false, expectedIds}, concurrency)
    sample = computeRates(first, second)
    latest = second.map((node, index) => carryMeasurements(node, first[index]))
  }

  const evidence = buildEvidence(seedAddress, topology, latest, sample, {
    seed: discovery.seed,
    natMap: (target.natMap ?? []).map(formatNatRule),
  })
  const findings = diagnose(evidence)
  return buildProbeReport({
    target: describeTarget(target),
    evidence,
    findings,
    durationMs: Date.now() - startedAt,
    sampleRequestedMs: options.sampleMs,
    sampleInterrupted,
  })
}

/** RTT and topology-call time are measured once, in the first pass. */
function carryMeasurements(node: CollectedNode, first: CollectedNode | undefined): CollectedNode {
  if (!first) return node
  node.snapshot.rttMs ??= first.snapshot.rttMs
  node.snapshot.rttMinMs ??= first.snapshot.rttMinMs
  node.snapshot.topologyCallMs ??= first.snapshot.topologyCallMs
  return node
}

/** true when the full duration passed, false when aborted. */
async function wait(ms: number, signal?: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, {signal})
    return true
  } catch {
    return false
  }
}
