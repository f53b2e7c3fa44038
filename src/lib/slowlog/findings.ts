/**
 * Findings for the one-shot `rcdiag slowlog` report. The SLOWLOG alone is partial evidence: no
 * config, INFO or CLIENT LIST. So only the slow-commands rule runs; the others would read the missing
 * parts as "nothing there" (or as skipped checks) and misfire.
 */
import type {NodeEvidence, ProbeEvidence} from '../evidence/types.js'
import type {Finding} from '../findings/types.js'
import {analyseAddressing} from '../evidence/addressing.js'
import {summarizeSlowlog} from '../evidence/slowlog.js'
import type {SeedView, Topology} from '../redis/topology.js'
import {diagnose} from '../findings/engine.js'
import {FINDINGS} from '../findings/registry.js'
import type {NodeOutcome} from './report.js'
import type {SlowlogFilters, TimelineEntry} from './types.js'

// slow-commands, and whether the nodes could be reached at all at the addresses the cluster announces
const SLOWLOG_RULES = FINDINGS.filter((finding) => finding.id === 'slow-commands' || finding.id === 'announced-addresses')

export interface SlowlogFindingsInput {
  mode: 'cluster' | 'standalone'
  /** the seed, as shown in the report */
  seed: string
  outcomes: NodeOutcome[]
  /** the merged timeline after the filters (internal entries, replication and rcdiag's own, already left out) */
  entries: TimelineEntry[]
  filters: SlowlogFilters
  /** cluster mode: what discovery learnt from the seed, the --nat-map rules, and the topology */
  discovery?: {seed: SeedView; natMap: string[]; topology: Topology}
}

export function slowlogFindings(input: SlowlogFindingsInput): Finding[] {
  return diagnose(slowlogEvidence(input), SLOWLOG_RULES)
}

/** The minimal evidence the slow-commands rule reads: per node, reachability, role and a SLOWLOG summary. */
export function slowlogEvidence(input: SlowlogFindingsInput): ProbeEvidence {
  // --since and --min-duration narrow the question, so SLOWLOG LEN (the whole log) no longer answers
  // it: then only the matching entries count. --count only bounds how much is read; LEN still holds.
  const filtered = input.filters.sinceMs !== null || input.filters.minDurationUs !== null
  const d = input.discovery
  const nodes = input.outcomes.map((outcome) => nodeEvidence(outcome, input.entries, filtered, d?.topology))
  return {
    mode: input.mode,
    seed: input.seed,
    ...(d ? {addressing: analyseAddressing(d.seed, d.natMap, d.topology, nodes)} : {}),
    nodes,
  }
}

function nodeEvidence(outcome: NodeOutcome, matched: TimelineEntry[], filtered: boolean, topology?: Topology): NodeEvidence {
  const {node} = outcome
  const base = {
    address: node.address,
    id: node.id,
    role: node.role,
    ...(outcome.connectedAt ? {connectedAt: outcome.connectedAt} : {}),
    config: {},
    migrating: [],
    importing: [],
    latencyLatest: [],
    latencystats: {},
    stats: {},
  }
  if ('error' in outcome) {
    const {answeredAs, blocked} = outcome
    return {
      ...base,
      reachable: false,
      error: outcome.error,
      skipped: [],
      ...(blocked ? {blocked: {kind: blocked, reason: outcome.error}} : {}),
      ...(answeredAs ? {answeredAs: {id: answeredAs, announcedAs: topology?.nodes.find((n) => n.id === answeredAs)?.address}} : {}),
    }
  }
  const {log} = outcome
  if (log.refused !== undefined) {
    return {...base, reachable: true, skipped: [{check: 'slowlog', command: 'SLOWLOG GET', reason: log.refused}]}
  }
  // Unfiltered: every entry read, internal ones included, so the summary can take them off LEN too.
  const entries = filtered ? matched.filter((entry) => entry.node === node.address) : log.entries
  return {
    ...base,
    reachable: true,
    skipped: [],
    slowlog: summarizeSlowlog(entries, filtered ? undefined : (log.length ?? undefined)),
  }
}
