import type {Finding} from '../findings/types.js'
import {RCDIAG_VERSION, SCHEMA_VERSION} from '../shared/version.js'
import type {NodeSlowlogOutcome, ServerIdentity} from '../parse/types.js'
import {serverSummary} from '../report/summaries.js'
import {groupEntries, histogram} from './group.js'
import type {Group, GroupBy, HistogramBucket, SlowlogFilters, TimelineEntry} from './types.js'

/** The slowlog JSON document (schemas/slowlog.schema.json). Field names are a public contract. */
export interface SlowlogReport {
  schemaVersion: number
  command: 'slowlog'
  rcdiagVersion: string
  generatedAt: string
  target: string
  mode: 'cluster' | 'standalone'
  /** every server version seen (INFO server, read with the SLOWLOG), most nodes first */
  servers: Array<ServerIdentity & {nodes: number}>
  nodes: SlowlogNodeReport[]
  filters: SlowlogFilters & {
    /** ISO cutoff derived from sinceMs, null without --since */
    since: string | null
    /** entries left out because rcdiag's own connections made them */
    ownEntriesExcluded: number
    /** replication traffic between nodes (PSYNC, SYNC, REPLCONF) left out: not client commands */
    replicationEntriesExcluded: number
  }
  groupBy: GroupBy
  groups: Group[]
  histogram: HistogramBucket[]
  /** every entry that passed the filters, newest first */
  entries: TimelineEntry[]
  /** from the slow-commands rule only (the SLOWLOG is all this command reads), most likely first */
  findings: Finding[]
}

export interface SlowlogNodeReport {
  address: string
  role: 'master' | 'replica' | 'unknown'
  /** vendor and version (INFO server); null when the node could not be read */
  server: ServerIdentity | null
  reachable: boolean
  error: string | null
  /** where rcdiag connected when --nat-map rewrote the announced address (absent: the address itself) */
  connectedAt?: string
  /** entries read from this node, before filters */
  entries: number
  /** entries of this node that passed the filters */
  matched: number
  /** SLOWLOG LEN; null when unknown */
  length: number | null
  /** SLOWLOG was refused on this node (ACL, renamed command) */
  skipped: {command: string; reason: string} | null
}

/** A node as the report names it. */
export interface SlowlogNode {
  address: string
  id?: string
  role: 'master' | 'replica' | 'unknown'
}

/** A node's outcome: its log, or the error that made it unreachable. */
export type NodeOutcome = {node: SlowlogNode} & NodeSlowlogOutcome

export interface SlowlogReportInput {
  target: string
  mode: 'cluster' | 'standalone'
  outcomes: NodeOutcome[]
  /** the merged, filtered timeline */
  entries: TimelineEntry[]
  filters: SlowlogFilters
  ownEntriesExcluded: number
  replicationEntriesExcluded: number
  groupBy: GroupBy
  nowMs: number
  /** see slowlogFindings (findings.ts); none when left out */
  findings?: Finding[]
}

export function buildSlowlogReport(input: SlowlogReportInput): SlowlogReport {
  const {filters, entries} = input
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'slowlog',
    rcdiagVersion: RCDIAG_VERSION,
    generatedAt: new Date(input.nowMs).toISOString(),
    target: input.target,
    mode: input.mode,
    servers: serverSummary(input.outcomes.map((outcome) => ({server: 'log' in outcome ? outcome.log.server : undefined}))),
    nodes: input.outcomes.map((outcome) => nodeReport(outcome, entries)),
    filters: {
      ...filters,
      since: filters.sinceMs === null ? null : new Date(input.nowMs - filters.sinceMs).toISOString(),
      ownEntriesExcluded: input.ownEntriesExcluded,
      replicationEntriesExcluded: input.replicationEntriesExcluded,
    },
    groupBy: input.groupBy,
    groups: groupEntries(entries, input.groupBy),
    histogram: histogram(entries),
    entries,
    findings: input.findings ?? [],
  }
}

function nodeReport(outcome: NodeOutcome, entries: TimelineEntry[]): SlowlogNodeReport {
  const {node} = outcome
  const base = {
    address: node.address,
    role: node.role,
    server: 'log' in outcome ? (outcome.log.server ?? null) : null,
    ...(outcome.connectedAt ? {connectedAt: outcome.connectedAt} : {}),
  }
  if ('error' in outcome) {
    return {...base, reachable: false, error: outcome.error, entries: 0, matched: 0, length: null, skipped: null}
  }
  const {log} = outcome
  return {
    ...base,
    reachable: true,
    error: null,
    entries: log.entries.length,
    matched: entries.filter((e) => e.node === node.address).length,
    length: log.length,
    skipped: log.refused === undefined ? null : {command: 'SLOWLOG GET', reason: log.refused},
  }
}
