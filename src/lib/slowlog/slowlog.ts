import pLimit from 'p-limit'

import {DEFAULT_NODE_CONCURRENCY} from '../redis/fan-out.js'
import {closeConnection, connectionError, openConnection} from '../redis/connection.js'
import {describeTarget, formatAddress, targetFor, type Target} from '../redis/target.js'
import {errorMessage} from '../shared/errors.js'
import {discoverFrom, type TopologyNode} from '../redis/topology.js'
import {isOwnEntry, readSlowlog} from '../redis/slowlog.js'
import {slowlogFindings} from './findings.js'
import {applyFilters, mergeTimeline} from './merge.js'
import {buildSlowlogReport, type NodeOutcome, type SlowlogReport} from './report.js'
import type {GroupBy, SlowlogFilters} from './types.js'

export interface SlowlogOptions extends SlowlogFilters {
  /** how groups are formed (default "pattern") */
  groupBy?: GroupBy
  /** nodes read at once (default 16) */
  concurrency?: number
  onProgress?: (message: string) => void
}

/** target → topology → every node's SLOWLOG → one filtered timeline → groups and histogram. */
export async function collectSlowlog(target: Target, options: SlowlogOptions): Promise<SlowlogReport> {
  const progress = options.onProgress ?? (() => {})
  progress(`connecting to ${formatAddress(target.host, target.port)}`)
  const topology = await discoverFrom(target)
  progress(`reading SLOWLOG from ${topology.nodes.length} node${topology.nodes.length === 1 ? '' : 's'}`)
  const limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_NODE_CONCURRENCY))
  const outcomes = await Promise.all(topology.nodes.map((node) => limit(() => readNode(target, node, options.count))))

  const nowMs = Date.now()
  const everything = mergeTimeline(outcomes.map((o) => ('log' in o ? o.log.entries : [])))
  const workload = everything.filter((entry) => !isOwnEntry(entry))
  const entries = applyFilters(workload, options, nowMs)
  const filters = {count: options.count, sinceMs: options.sinceMs, minDurationUs: options.minDurationUs}
  const seed = formatAddress(target.host, target.port)
  return buildSlowlogReport({
    target: describeTarget(target),
    mode: topology.mode,
    outcomes,
    entries,
    filters,
    ownEntriesExcluded: everything.length - workload.length,
    groupBy: options.groupBy ?? 'pattern',
    nowMs,
    findings: slowlogFindings({mode: topology.mode, seed, outcomes, entries, filters}),
  })
}

async function readNode(base: Target, node: TopologyNode, count: number | null): Promise<NodeOutcome> {
  const target = targetFor(base, node.address)
  let redis
  try {
    redis = await openConnection(target)
    return {node, log: await readSlowlog(redis, node.address, count, target.commandTimeoutMs)}
  } catch (error) {
    return {node, error: nodeError(node.address, error)}
  } finally {
    closeConnection(redis)
  }
}

/** The error without the address prefix: the report already says which node. */
export function nodeError(address: string, error: unknown): string {
  return errorMessage(connectionError(address, error)).replace(`${address}: `, '')
}
