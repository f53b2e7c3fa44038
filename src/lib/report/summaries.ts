/** Summaries over a report's nodes that probe and replay share. Pure. */
import type {NodeEvidence, SkippedCheck} from '../evidence/types.js'
import type {ServerIdentity} from '../parse/server.js'

/** Skipped checks across nodes: one entry per check and command (and reason, for what a server version cannot tell), with its nodes. */
export function groupSkipped(nodes: ReadonlyArray<Pick<NodeEvidence, 'address' | 'skipped'>>): Array<SkippedCheck & {nodes: string[]}> {
  const groups = new Map<string, SkippedCheck & {nodes: string[]}>()
  for (const node of nodes) {
    for (const skip of node.skipped) {
      const key = [skip.check, skip.command, skip.kind === 'unsupported' ? skip.reason : ''].join('\u0000')
      const group = groups.get(key) ?? {...skip, nodes: []}
      group.nodes.push(node.address)
      groups.set(key, group)
    }
  }
  return [...groups.values()]
}

/** Distinct vendor/version pairs with how many nodes run each, most first (then by version). */
export function serverSummary(nodes: ReadonlyArray<Pick<NodeEvidence, 'server'>>): Array<ServerIdentity & {nodes: number}> {
  const counts = new Map<string, ServerIdentity & {nodes: number}>()
  for (const {server} of nodes) {
    if (!server) continue
    const key = `${server.vendor} ${server.version}`
    const entry = counts.get(key) ?? {...server, nodes: 0}
    entry.nodes++
    counts.set(key, entry)
  }
  return [...counts.values()].sort((a, b) => b.nodes - a.nodes || `${a.vendor} ${a.version}`.localeCompare(`${b.vendor} ${b.version}`))
}
