import {isInternalEntry, isOwnEntry, isReplicationEntry} from '../parse/slowlog.js'
import {fanOut} from '../redis/fan-out.js'
import {readNodeSlowlog} from '../redis/slowlog.js'
import {describeTarget, formatAddress, type Target} from '../redis/target.js'
import {formatNatRule} from '../redis/nat.js'
import {discover} from '../redis/topology.js'
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
  const discovery = await discover(target)
  const {topology} = discovery
  const cluster = topology.mode === 'cluster'
  progress(`reading SLOWLOG from ${topology.nodes.length} node${topology.nodes.length === 1 ? '' : 's'}`)
  const outcomes: NodeOutcome[] = await fanOut(
    topology.nodes,
    async (node) => ({node, ...(await readNodeSlowlog(target, node.address, options.count, cluster ? node.id : undefined))}),
    options.concurrency,
  )

  const nowMs = Date.now()
  const everything = mergeTimeline(outcomes.map((o) => ('log' in o ? o.log.entries : [])))
  const workload = everything.filter((entry) => !isInternalEntry(entry))
  const entries = applyFilters(workload, options, nowMs)
  const filters = {count: options.count, sinceMs: options.sinceMs, minDurationUs: options.minDurationUs}
  const seed = formatAddress(target.host, target.port)
  return buildSlowlogReport({
    target: describeTarget(target),
    mode: topology.mode,
    outcomes,
    entries,
    filters,
    ownEntriesExcluded: everything.filter(isOwnEntry).length,
    replicationEntriesExcluded: everything.filter((entry) => !isOwnEntry(entry) && isReplicationEntry(entry)).length,
    groupBy: options.groupBy ?? 'pattern',
    nowMs,
    findings: slowlogFindings({
      mode: topology.mode,
      seed,
      outcomes,
      entries,
      filters,
      discovery: cluster ? {seed: discovery.seed, natMap: (target.natMap ?? []).map(formatNatRule), topology} : undefined,
    }),
  })
}
