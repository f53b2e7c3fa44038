/**
 * What one probe asks every node, in one pipelined round trip. Every command has the same form on
 * every server rcdiag supports (Redis 6.0 to 7.4, Valkey): an older server never answers one of
 * them with an error reply, so rcdiag neither sends a second round of fallbacks nor adds to the
 * server's error counters, and its own calls can be subtracted exactly.
 */
import {SLOWLOG_LEN_ARGS, slowlogGetArgs} from './slowlog.js'

/** The config keys rcdiag keeps from CONFIG GET *; everything else (passwords included) is dropped at once. */
export const CONFIG_KEYS = [
  'timeout',
  'tcp-keepalive',
  'maxclients',
  'maxmemory',
  'maxmemory-policy',
  'slowlog-log-slower-than',
  'slowlog-max-len',
  'latency-monitor-threshold',
  'latency-tracking',
  'save',
  'appendonly',
  'appendfsync',
  'cluster-node-timeout',
  'cluster-require-full-coverage',
  'replica-serve-stale-data',
] as const

export const SLOWLOG_READ = 128

export type CheckName = 'info' | 'config' | 'client-list' | 'slowlog' | 'latency' | 'cluster-info' | 'cluster-nodes' | 'cluster-myid'

export interface PlannedCommand {
  check: CheckName
  /** how a report names it, e.g. "CONFIG GET" */
  label: string
  /** commandstats key, to subtract rcdiag's own calls from sampled rates */
  stat: string
  args: [string, ...string[]]
  /** the reply is wanted as exact bytes (callBuffer) */
  buffer?: boolean
}

/** INFO comes first so that a later snapshot's counters include this snapshot's other commands exactly once. */
export function plannedCommands(mode: 'cluster' | 'standalone'): PlannedCommand[] {
  const list: PlannedCommand[] = [
    // INFO takes several sections only from Redis 7, CONFIG GET several patterns only from 7: "all"
    // (every section but modules': commandstats, errorstats and latencystats where the server has
    // them) and "*" are one call everywhere.
    {check: 'info', label: 'INFO', stat: 'info', args: ['INFO', 'all']},
    {check: 'config', label: 'CONFIG GET', stat: 'config|get', args: ['CONFIG', 'GET', '*']},
    {check: 'client-list', label: 'CLIENT LIST', stat: 'client|list', args: ['CLIENT', 'LIST']},
    {check: 'slowlog', label: 'SLOWLOG GET', stat: 'slowlog|get', args: slowlogGetArgs(SLOWLOG_READ), buffer: true},
    {check: 'slowlog', label: 'SLOWLOG LEN', stat: 'slowlog|len', args: SLOWLOG_LEN_ARGS},
    {check: 'latency', label: 'LATENCY LATEST', stat: 'latency|latest', args: ['LATENCY', 'LATEST']},
  ]
  if (mode === 'cluster') {
    list.push(
      {check: 'cluster-info', label: 'CLUSTER INFO', stat: 'cluster|info', args: ['CLUSTER', 'INFO']},
      {check: 'cluster-nodes', label: 'CLUSTER NODES', stat: 'cluster|nodes', args: ['CLUSTER', 'NODES']},
      // Which node answered at this address: behind NAT an announced address can lead to another node.
      {check: 'cluster-myid', label: 'CLUSTER MYID', stat: 'cluster|myid', args: ['CLUSTER', 'MYID']},
    )
  }
  return list
}
