import type {
  AddressingEvidence,
  ClientsSummary,
  ClusterEvidence,
  NodeEvidence,
  ProbeEvidence,
  Rates,
  SampleEvidence,
  SkippedCheck,
  SlowlogSummary,
} from '../evidence/types.js'
import type {Finding} from '../findings/types.js'
import type {ServerIdentity} from '../parse/server.js'
import {groupSkipped, serverSummary} from './summaries.js'
import type {LatencyLatestEvent} from '../parse/types.js'
import {RCDIAG_VERSION, SCHEMA_VERSION} from '../shared/version.js'

/** The probe's JSON document (schemas/probe.schema.json). Field names are part of the public contract. */
export interface ProbeReport {
  schemaVersion: number
  command: 'probe'
  rcdiagVersion: string
  generatedAt: string
  target: string
  mode: 'cluster' | 'standalone'
  durationMs: number
  cluster: ClusterEvidence | null
  /** cluster mode: whether the announced addresses lead to the nodes from here, and the --nat-map used */
  addressing: AddressingEvidence | null
  /** every server version seen, most nodes first: one entry unless an upgrade is in progress */
  servers: Array<ServerIdentity & {nodes: number}>
  nodes: NodeReport[]
  sample?: SampleReport
  /** checks that could not run, grouped, with the nodes concerned */
  skipped: Array<SkippedCheck & {nodes: string[]}>
  findings: Finding[]
}

export interface NodeReport {
  address: string
  id: string | null
  role: 'master' | 'replica' | 'unknown'
  /** vendor and version (INFO server); null when the node could not be read */
  server: ServerIdentity | null
  reachable: boolean
  error: string | null
  /** where rcdiag connected when --nat-map rewrote the announced address; null: the address itself */
  connectedAt: string | null
  /** the announced address led to another node: the id that answered there (and its announced address) */
  answeredAs: {id: string; announcedAs: string | null} | null
  /** slots this node serves (masters) */
  slots: number
  rttMs: number | null
  rttMinMs: number | null
  topologyCallMs: number | null
  config: Record<string, number | string>
  clients: ClientsSummary | null
  slowlog: SlowlogSummary | null
  clusterState: string | null
  migrating: NodeEvidence['migrating']
  importing: NodeEvidence['importing']
  latencyLatest: LatencyLatestEvent[]
  latencystats: NodeEvidence['latencystats']
  configEpoch: number | null
  stats: NodeEvidence['stats']
  skipped: SkippedCheck[]
}

export interface SampleReport {
  requestedMs: number
  durationMs: number
  interrupted: boolean
  cluster: Rates
  nodes: Array<{address: string; connectedClients: number | null} & Rates>
  changes: SampleEvidence['changes']
}

export interface ProbeReportInput {
  target: string
  evidence: ProbeEvidence
  findings: Finding[]
  durationMs: number
  sampleRequestedMs?: number
  sampleInterrupted: boolean
}

export function buildProbeReport(input: ProbeReportInput): ProbeReport {
  const {evidence} = input
  const report: ProbeReport = {
    schemaVersion: SCHEMA_VERSION,
    command: 'probe',
    rcdiagVersion: RCDIAG_VERSION,
    generatedAt: new Date().toISOString(),
    target: input.target,
    mode: evidence.mode,
    durationMs: input.durationMs,
    cluster: evidence.cluster ?? null,
    addressing: evidence.addressing ?? null,
    servers: serverSummary(evidence.nodes),
    nodes: evidence.nodes.map(nodeReport),
    skipped: groupSkipped(evidence.nodes),
    findings: input.findings,
  }
  if (evidence.sample && input.sampleRequestedMs) {
    report.sample = {
      requestedMs: input.sampleRequestedMs,
      durationMs: evidence.sample.durationMs,
      interrupted: input.sampleInterrupted,
      cluster: evidence.sample.cluster,
      nodes: evidence.sample.nodes.map((n) => ({address: n.address, connectedClients: n.connectedClients ?? null, ...n.rates})),
      changes: evidence.sample.changes,
    }
  }
  return report
}

function nodeReport(node: NodeEvidence): NodeReport {
  return {
    address: node.address,
    id: node.id ?? null,
    role: node.role,
    server: node.server ?? null,
    reachable: node.reachable,
    error: node.error ?? null,
    connectedAt: node.connectedAt ?? null,
    answeredAs: node.answeredAs ? {id: node.answeredAs.id, announcedAs: node.answeredAs.announcedAs ?? null} : null,
    slots: node.slots ?? 0,
    rttMs: node.rttMs ?? null,
    rttMinMs: node.rttMinMs ?? null,
    topologyCallMs: node.topologyCallMs ?? null,
    config: node.config,
    clients: node.clients ?? null,
    slowlog: node.slowlog ?? null,
    clusterState: node.clusterState ?? null,
    migrating: node.migrating,
    importing: node.importing,
    latencyLatest: node.latencyLatest,
    latencystats: node.latencystats,
    configEpoch: node.configEpoch ?? null,
    stats: node.stats,
    skipped: node.skipped,
  }
}
