import type {ProbeEvidence} from '../../evidence/types.js'
import type {Finding, Rule} from '../types.js'
import {remedyFor} from '../format.js'
import {TOTAL_SLOTS as TOTAL} from '../../shared/constants.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS

/**
 * Cluster not fully healthy. Critical: state not ok, uncovered slots, a node saying fail, slots in FAIL.
 * Warning: only PFAIL slots or nodes unreachable from rcdiag.
 */
export const clusterStateFail: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  if (evidence.mode !== 'cluster') return undefined
  const cluster = evidence.cluster
  const reachable = evidence.nodes.filter((n) => n.reachable)
  // Addresses the cluster announces but this host cannot use are announced-addresses's:
  // the nodes behind them may be fine, and the cluster must not be called down for it.
  const addressFault = new Set(evidence.addressing?.unusable ? evidence.addressing.failing.map((f) => f.address) : [])
  const unreachable = evidence.nodes.filter((n) => !n.reachable && !addressFault.has(n.address))
  const nodesNotOk = reachable.filter((n) => n.clusterState !== undefined && n.clusterState !== 'ok')
  const failing = reachable.filter((n) => (n.clusterSlotsFail ?? 0) > 0)
  const pfailing = reachable.filter((n) => (n.clusterSlotsPfail ?? 0) > 0)
  // "unknown" is no node having told, not a failure
  const stateNotOk = cluster !== undefined && cluster.state !== 'ok' && cluster.state !== 'unknown'
  const uncovered = cluster !== undefined ? Math.max(0, TOTAL - cluster.slotsCovered) : 0

  const critical = stateNotOk || uncovered > 0 || nodesNotOk.length > 0 || failing.length > 0
  const warning = pfailing.length > 0 || unreachable.length > 0
  if (!critical && !warning) return undefined

  const lines: string[] = []
  const concerned = new Set<string>()
  if (stateNotOk) lines.push(`cluster_state ${cluster!.state}`)
  if (uncovered > 0) lines.push(`${cluster!.slotsCovered}/${TOTAL} slots covered: ${uncovered} uncovered`)
  for (const node of nodesNotOk) {
    lines.push(`${node.address} reports cluster_state ${node.clusterState}`)
    concerned.add(node.address)
  }
  const maxFail = Math.max(0, ...failing.map((n) => n.clusterSlotsFail ?? 0))
  const maxPfail = Math.max(0, ...pfailing.map((n) => n.clusterSlotsPfail ?? 0))
  for (const node of failing) {
    lines.push(`${node.address} reports cluster_slots_fail ${node.clusterSlotsFail}`)
    concerned.add(node.address)
  }
  for (const node of pfailing) {
    lines.push(`${node.address} reports cluster_slots_pfail ${node.clusterSlotsPfail}`)
    concerned.add(node.address)
  }
  for (const node of unreachable) {
    lines.push(`${node.address} (${node.role}) unreachable from rcdiag` + (node.error ? `: ${node.error}` : ''))
    concerned.add(node.address)
  }

  const title = critical
    ? stateNotOk || uncovered > 0
      ? `Cluster is down for some slots: state ${cluster!.state}, ${uncovered} slot(s) uncovered`
      : `Cluster reports failing slots or nodes (${nodesNotOk.length} node(s) not ok, up to ${maxFail} slot(s) in FAIL)`
    : `Cluster degraded: ${unreachable.length} node(s) unreachable, up to ${maxPfail} slot(s) in PFAIL`

  return {
    id: 'cluster-state-fail',
    severity: critical ? 'critical' : 'warning',
    confidence: critical ? T.criticalConfidence : T.warningConfidence,
    title,
    evidence: lines,
    remedy: remedyFor(ENTRY),
    nodes: [...concerned],
    metrics: {
      ...(cluster ? {slotsCovered: cluster.slotsCovered} : {}),
      slotsUncovered: uncovered,
      nodesStateNotOk: nodesNotOk.length,
      slotsFail: maxFail,
      slotsPfail: maxPfail,
      unreachableNodes: unreachable.length,
    },
  }
}
