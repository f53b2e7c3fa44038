/** What one probe asks every node, in one pipelined round trip. */
import {SLOWLOG_LEN_ARGS, slowlogGetArgs} from './slowlog.js'

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
] as const

export const INFO_SECTIONS = [
  'server',
  'clients',
  'memory',
  'persistence',
  'stats',
  'replication',
  'commandstats',
  'errorstats',
  'latencystats',
  'cluster',
] as const

export const SLOWLOG_READ = 128

export type CheckName = 'info' | 'config' | 'client-list' | 'slowlog' | 'latency' | 'cluster-info' | 'cluster-nodes'

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
    {check: 'info', label: 'INFO', stat: 'info', args: ['INFO', ...INFO_SECTIONS]},
    {check: 'config', label: 'CONFIG GET', stat: 'config|get', args: ['CONFIG', 'GET', ...CONFIG_KEYS]},
    {check: 'client-list', label: 'CLIENT LIST', stat: 'client|list', args: ['CLIENT', 'LIST']},
    {check: 'slowlog', label: 'SLOWLOG GET', stat: 'slowlog|get', args: slowlogGetArgs(SLOWLOG_READ), buffer: true},
    {check: 'slowlog', label: 'SLOWLOG LEN', stat: 'slowlog|len', args: SLOWLOG_LEN_ARGS},
    {check: 'latency', label: 'LATENCY LATEST', stat: 'latency|latest', args: ['LATENCY', 'LATEST']},
  ]
  if (mode === 'cluster') {
    list.push(
      {check: 'cluster-info', label: 'CLUSTER INFO', stat: 'cluster|info', args: ['CLUSTER', 'INFO']},
      {check: 'cluster-nodes', label: 'CLUSTER NODES', stat: 'cluster|nodes', args: ['CLUSTER', 'NODES']},
    )
  }
  return list
}
