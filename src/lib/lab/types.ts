import type {ServerIdentity} from '../parse/server.js'

/** The shapes of rcdiag's throw-away local labs. Types only. */

export interface LabTlsFiles {
  certFile: string
  keyFile: string
  caFile: string
}

export interface LabOptions {
  /** The server binary to run (default: redis-server on PATH, else valkey-server). */
  serverBin?: string
  /** Number of masters (cluster only). Default 3. */
  masters?: number
  /** Replicas per master (cluster only). Default 1. */
  replicas?: number
  /** First port; if it (or its +10000 cluster bus port) is taken, free ones are picked. Never 6379. */
  port?: number
  /** The servers' idle client `timeout` in seconds. Default 0. */
  timeoutSec?: number
  /** The servers' `tcp-keepalive` in seconds. Default 300. */
  tcpKeepaliveSec?: number
  /** `cluster-node-timeout` in milliseconds. Default 3000. */
  clusterNodeTimeoutMs?: number
  /** Extra redis.conf directives, e.g. ['rename-command', 'CONFIG ""'], ['requirepass', 's3cret']. */
  config?: Array<[string, string]>
  /** One server, no cluster. */
  standalone?: boolean
  /** Serve TLS only (standalone only). */
  tls?: LabTlsFiles
  /** Lab name. Default 'default'. */
  name?: string
  /** Where state files live. Default $RCDIAG_LAB_DIR or <os.tmpdir()>/rcdiag-labs. */
  stateDir?: string
  /** Loopback only, always. */
  host?: '127.0.0.1'
  /** Progress messages (for a spinner). Not recorded. */
  onProgress?: (message: string) => void
  /** Abort the start (e.g. on Ctrl-C): whatever was started is stopped and removed. */
  signal?: AbortSignal
}

export type LabRole = 'master' | 'replica' | 'standalone'

export interface LabNode {
  /** host:port */
  address: string
  host: string
  port: number
  /** Cluster bus port (port + 10000), cluster labs only. */
  busPort?: number
  pid: number
  role: LabRole
  /** The server's own data directory. */
  dir: string
  logFile: string
  /** Cluster node ID. */
  id?: string
  /** Masters: the slot range they were given (inclusive). */
  slots?: [number, number]
  /** Replicas: the address of their master. */
  replicaOf?: string
}

/** The options a lab was started with, after defaults; secrets in `config` are replaced by '***'. */
export interface ResolvedLabOptions {
  masters: number
  replicas: number
  port?: number
  timeoutSec: number
  tcpKeepaliveSec: number
  clusterNodeTimeoutMs: number
  config: Array<[string, string]>
  standalone: boolean
  tls?: LabTlsFiles
  name: string
  stateDir: string
  host: '127.0.0.1'
}

export interface LabState {
  name: string
  stateFile: string
  dataDir: string
  createdAt: string
  standalone: boolean
  /** host:port of the first node: what to give `rcdiag probe`. */
  seed: string
  /** True when the lab serves TLS only. */
  tls: boolean
  /** The server's version (kept under this name for older state files and JSON readers; see `server`). */
  redisVersion: string
  /** Vendor and version of the server binary that runs the lab. */
  server?: ServerIdentity
  nodes: LabNode[]
  options: ResolvedLabOptions
  /** Only when `requirepass` was given: needed to talk to the lab. Never printed. */
  password?: string
}

export interface LabNodeStatus {
  address: string
  port: number
  pid: number
  /** The role the lab gave the node. */
  expectedRole: LabRole
  /** The recorded PID is a live redis-server. */
  alive: boolean
  /** The node answered PING. */
  answering: boolean
  /** "Redis 7.0.15", "Valkey 8.0.1" (INFO server; answering nodes only) */
  server?: string
  /** The role the node reports now (answering nodes only). */
  role?: LabRole
  /** cluster_state from CLUSTER INFO (cluster nodes only). */
  clusterState?: string
  /** cluster_slots_assigned: the slots this node knows an owner for. */
  slotsAssigned?: number
  /** cluster_slots_ok */
  slotsOk?: number
  /** cluster_known_nodes */
  knownNodes?: number
  /** Replicas: master_link_status. */
  masterLinkStatus?: string
  error?: string
}

export interface LabStatus {
  name: string
  stateFile: string
  standalone: boolean
  seed: string
  /** up: every node alive and answering (and cluster_state ok everywhere); down: none alive; else degraded. */
  state: 'up' | 'degraded' | 'down'
  /** Cluster labs: 'ok' when every answering node says ok, 'fail' when any says fail, else 'unknown'. */
  clusterState?: 'ok' | 'fail' | 'unknown'
  nodes: LabNodeStatus[]
}
