/**
 * Which server a node runs, and what that server can measure, from its INFO server section. Pure:
 * evidence decides with it whether a missing counter is "unknown" (null) rather than 0.
 */
import type {InfoSections, ServerIdentity} from './types.js'

export type {ServerIdentity} from './types.js'

/** What a server version can tell, each from the Redis release that introduced it. */
export interface Capabilities {
  /** INFO errorstats (MOVED, ASK and every other error reply counted): Redis 6.2 */
  errorstats: boolean
  /** INFO commandstats per subcommand (cmdstat_cluster|slots, cmdstat_config|get): Redis 7.0; before, per command */
  subcommandStats: boolean
  /** INFO latencystats (server-side percentiles per command): Redis 7.0 */
  latencystats: boolean
  /** CLUSTER SHARDS: Redis 7.0 */
  clusterShards: boolean
  /** lib-name / lib-ver in CLIENT LIST (CLIENT SETINFO): Redis 7.2 */
  clientLibInfo: boolean
}

/** The release that introduced each capability, as the README's "Supported servers" table says. */
export const CAPABILITY_SINCE: Readonly<Record<keyof Capabilities, string>> = Object.freeze({
  errorstats: '6.2',
  subcommandStats: '7.0',
  latencystats: '7.0',
  clusterShards: '7.0',
  clientLibInfo: '7.2',
})

export function serverIdentity(info: InfoSections): ServerIdentity | undefined {
  const server = info.server ?? {}
  const name = server.server_name?.trim().toLowerCase()
  if (name && name !== 'redis') return {vendor: name, version: server[`${name}_version`] ?? server.redis_version ?? 'unknown'}
  return server.redis_version ? {vendor: 'redis', version: server.redis_version} : undefined
}

/**
 * By the Redis version the server is compatible with: redis_version, which Valkey keeps at the
 * Redis release it forked from (7.2.4), so Valkey has everything Redis 7.2 has. Unknown (no INFO
 * server): undefined, and the caller says so rather than guessing.
 */
export function capabilitiesOf(info: InfoSections): Capabilities | undefined {
  const version = info.server?.redis_version
  if (!version || !/^\d+\.\d+/.test(version)) return undefined
  const has = (key: keyof Capabilities) => versionAtLeast(version, CAPABILITY_SINCE[key])
  return {
    errorstats: has('errorstats'),
    subcommandStats: has('subcommandStats'),
    latencystats: has('latencystats'),
    clusterShards: has('clusterShards'),
    clientLibInfo: has('clientLibInfo'),
  }
}

/** "7.0.15" >= "7.0": numeric, part by part; missing parts count as 0. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map((part) => Number.parseInt(part, 10) || 0)
  const b = minimum.split('.').map((part) => Number.parseInt(part, 10) || 0)
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0)
    if (diff !== 0) return diff > 0
  }
  return true
}

/** "Redis 7.0.15", "Valkey 8.0.1". */
export function describeServer(server: ServerIdentity): string {
  const vendor = server.vendor === 'redis' ? 'Redis' : server.vendor === 'valkey' ? 'Valkey' : server.vendor
  return `${vendor} ${server.version}`
}
