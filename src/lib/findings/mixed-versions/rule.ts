import type {ProbeEvidence} from '../../evidence/types.js'
import {describeServer} from '../../parse/server.js'
import {remedyFor} from '../format.js'
import type {Finding, Rule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS

/** More than one vendor/version among the nodes that answered. */
export const mixedVersions: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const byVersion = new Map<string, {masters: string[]; replicas: string[]}>()
  for (const node of evidence.nodes) {
    if (!node.reachable || !node.server) continue
    const key = describeServer(node.server)
    const entry = byVersion.get(key) ?? {masters: [], replicas: []}
    ;(node.role === 'master' ? entry.masters : entry.replicas).push(node.address)
    byVersion.set(key, entry)
  }
  if (byVersion.size < 2) return undefined
  const versions = [...byVersion.entries()].sort(
    (a, b) => b[1].masters.length + b[1].replicas.length - (a[1].masters.length + a[1].replicas.length),
  )
  return {
    id: 'mixed-versions',
    severity: 'info',
    confidence: T.confidence,
    title: `Nodes run ${versions.length} server versions: ${versions.map(([version, n]) => `${version} on ${n.masters.length + n.replicas.length}`).join(', ')}`,
    evidence: versions.map(
      ([version, n]) =>
        `${version}: ${n.masters.length} master(s)${n.masters.length > 0 ? ` (${n.masters.join(', ')})` : ''}, ` +
        `${n.replicas.length} replica(s)${n.replicas.length > 0 ? ` (${n.replicas.join(', ')})` : ''}`,
    ),
    remedy: remedyFor(ENTRY),
    nodes: versions.flatMap(([, n]) => [...n.masters, ...n.replicas]),
    metrics: {versions: versions.length},
  }
}
