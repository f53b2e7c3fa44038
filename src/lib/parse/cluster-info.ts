import {expectString, lines} from './reply.js'

/** "cluster_state:ok\r\ncluster_slots_assigned:16384\r\n..." → {cluster_state: "ok", ...}. */
export function parseClusterInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of lines(expectString(text, 'CLUSTER INFO'))) {
    const colon = line.indexOf(':')
    if (colon > 0) out[line.slice(0, colon)] = line.slice(colon + 1).trim()
  }
  return out
}
