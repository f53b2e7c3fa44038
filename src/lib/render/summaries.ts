/** Sections that the probe and replay reports share. Pure. */
import type {SkippedCheck} from '../evidence/types.js'
import {describeServer, type ServerIdentity} from '../parse/server.js'

/** "Redis 7.0.15", or "Redis 7.0.15 on 3 nodes, Redis 6.2.16 on 3 nodes" during an upgrade; undefined when no node was read. */
export function serversText(servers: ReadonlyArray<ServerIdentity & {nodes: number}>): string | undefined {
  if (servers.length === 0) return undefined
  if (servers.length === 1) return describeServer(servers[0])
  return servers.map((s) => `${describeServer(s)} on ${s.nodes} node${s.nodes === 1 ? '' : 's'}`).join(', ')
}

/** The "Skipped checks" section: what servers refused, and what their version cannot tell. */
export function skippedLines(skipped: ReadonlyArray<SkippedCheck & {nodes: string[]}>): string {
  const lines = skipped.map((s) =>
    s.kind === 'unsupported'
      ? `- ${s.check} not measured on ${s.nodes.length} node(s): ${s.reason}`
      : `- ${s.command} refused on ${s.nodes.length} node(s) (${s.check} checks skipped): ${s.reason}`,
  )
  return ['Skipped checks', ...lines].join('\n')
}
