import type {NodeEvidence, ProbeEvidence} from '../../evidence/types.js'
import {remedyFor} from '../format.js'
import type {Finding, Rule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS

/** The seed's topology and the nodes' own INFO disagree about who is a master. */
export const roleDisagreement: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  if (evidence.mode !== 'cluster') return undefined
  const differing = evidence.nodes.filter(
    (n): n is NodeEvidence & {announcedRole: 'master' | 'replica'} =>
      n.reachable && n.role !== 'unknown' && (n.announcedRole === 'master' || n.announcedRole === 'replica') && n.announcedRole !== n.role,
  )
  if (differing.length === 0) return undefined
  const demotedMasters = differing.filter((n) => n.announcedRole === 'master')
  const count = (role: string, pick: (n: NodeEvidence) => string | undefined) => evidence.nodes.filter((n) => pick(n) === role).length
  return {
    id: 'role-disagreement',
    severity: 'warning',
    confidence: demotedMasters.length > 0 ? T.demotedMasterConfidence : T.confidence,
    title: `The topology gives ${differing.length} node(s) a role they deny: ${differing.map((n) => `${n.address} (${n.announcedRole} in the topology, ${n.role} itself)`).join(', ')}`,
    evidence: [
      ...differing.map(
        (n) => `${n.address}: the topology calls it a ${n.announcedRole}; the node says it is a ${n.role} (INFO replication)`,
      ),
      `the topology counts ${count('master', (n) => n.announcedRole)} masters and ${count('replica', (n) => n.announcedRole)} replicas; ` +
        `the nodes themselves ${count('master', (n) => n.role)} masters and ${count('replica', (n) => n.role)} replicas (the header and nodes table use the latter)`,
    ],
    remedy: remedyFor(ENTRY),
    nodes: differing.map((n) => n.address),
    metrics: {nodesDisagreeing: differing.length, mastersDenied: demotedMasters.length},
  }
}
