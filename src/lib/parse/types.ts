/** Shapes of parsed Redis replies. Parsers (one file per reply) turn RESP2 replies into these. */

/** INFO: section name (lower case, e.g. "clients", "commandstats") → field → raw value. */
export type InfoSections = Record<string, Record<string, string>>

export interface CommandStat {
  calls: number
  usec: number
  usecPerCall: number
  rejectedCalls: number
  failedCalls: number
}

/** latencystats line "latency_percentiles_usec_hmget:p50=1.003,p99=3.007,p99.9=7.007". */
export interface LatencyPercentiles {
  p50?: number
  p99?: number
  p999?: number
  [percentile: string]: number | undefined
}

export interface ClientEntry {
  id: number
  addr: string
  laddr?: string
  name: string
  /** seconds since the connection was opened */
  age: number
  /** seconds since the last command */
  idle: number
  flags: string
  db: number
  cmd: string
  user?: string
  libName?: string
  libVer?: string
  /** every field as sent, for fields not modelled above */
  raw: Record<string, string>
}

export interface SlowlogEntry {
  id: number
  /** unix seconds */
  timestamp: number
  durationUs: number
  args: string[]
  clientAddr: string
  clientName: string
}

/** One SLOWLOG entry of one node, with every argument already escaped for printing. */
export interface TimelineEntry {
  /** address of the node that logged it */
  node: string
  /** the node's own entry id (ids are per node) */
  id: number
  /** unix seconds */
  timestamp: number
  /** ISO 8601 form of timestamp */
  time: string
  durationUs: number
  /** "HMGET", or "CLUSTER SLOTS" for container commands */
  command: string
  /** the key pattern with values elided, e.g. "SET user:{n}:profile …" */
  pattern: string
  /** every argument as logged (command name first), escaped: safe to print */
  args: string[]
  clientAddr: string
  clientName: string
}

export interface ClusterNodeLine {
  id: string
  /** "host:port" (IPv6 hosts in brackets); "" for a node without an address (":0@0") */
  address: string
  host: string
  port: number
  cport: number
  hostname?: string
  /** Redis 7.2+ auxiliary address fields after the hostname, e.g. {"shard-id": "…", "tls-port": "0"} */
  aux?: Record<string, string>
  flags: string[]
  myself: boolean
  role: 'master' | 'replica'
  masterId?: string
  pingSent: number
  pongRecv: number
  configEpoch: number
  linkState: 'connected' | 'disconnected'
  /** inclusive ranges */
  slots: Array<[number, number]>
  migrating: Array<{slot: number; toNodeId: string}>
  importing: Array<{slot: number; fromNodeId: string}>
}

export interface ShardNode {
  id: string
  endpoint?: string
  ip: string
  hostname?: string
  port?: number
  tlsPort?: number
  role: 'master' | 'replica'
  replicationOffset: number
  /** Redis 7.0 sends "online", "loading" (replica whose gossiped offset is still 0) or "fail". */
  health: 'online' | 'failed' | 'fail' | 'loading' | string
}

export interface ClusterShard {
  slots: Array<[number, number]>
  nodes: ShardNode[]
}

export interface SlotRangeOwner {
  start: number
  end: number
  /** hostname comes from the Redis 7 networking metadata (4th item of each node), when announced */
  master: {host: string; port: number; id?: string; hostname?: string}
  replicas: Array<{host: string; port: number; id?: string; hostname?: string}>
}

export interface LatencyLatestEvent {
  event: string
  /** unix seconds of the latest spike */
  timestamp: number
  latestMs: number
  maxMs: number
}

/** A check that could not run on a node, and why (CONFIG disabled, ACL, unknown command...). */
export interface SkippedCheck {
  /** what rcdiag could not look at, e.g. "config", "client-list", "slowlog" */
  check: string
  /** the command that was refused, e.g. "CONFIG GET" */
  command: string
  /** the server's reply, one line */
  reason: string
  /** set when this server version cannot tell it at all (absent: the server refused the command) */
  kind?: 'unsupported'
}

/** What one node's SLOWLOG said: entries, or why there are none. */
export interface NodeLog {
  address: string
  /** entries read (unfiltered), newest first */
  entries: TimelineEntry[]
  /** SLOWLOG LEN, null when not known */
  length: number | null
  /** set when the node answered but refused SLOWLOG (ACL, renamed command) */
  refused?: string
  /** vendor and version (INFO server), when asked for and answered */
  server?: ServerIdentity
  /** CLUSTER MYID, when asked for and answered */
  id?: string
}

/** A node's SLOWLOG, or why it could not be read (stuck, or another node answering at its address). */
export type NodeSlowlogOutcome = ({log: NodeLog} | {error: string; blocked?: BlockedKind; answeredAs?: string}) & {
  /** where rcdiag connected when --nat-map rewrote the announced address */
  connectedAt?: string
}

export interface ServerIdentity {
  /** "redis" or "valkey" (INFO server_name; absent on Redis) */
  vendor: string
  /** the vendor's own version: valkey_version on Valkey (whose redis_version stays 7.2.4), else redis_version */
  version: string
}

/** A node that answers but cannot serve (a long script, loading, its master down), or accepts connections and answers nothing: stuck, not refusing. */
export type BlockedKind = 'busy' | 'loading' | 'masterdown' | 'stalled'
