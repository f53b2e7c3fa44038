import type {CollectedNode, NodeSnapshot} from '../redis/snapshot-types.js'
import {infoNumber} from '../parse/info.js'
import {capabilitiesOf} from '../parse/server.js'
import type {Rates, SampleEvidence} from './types.js'

const TOPOLOGY_CALLS = ['cluster|slots', 'cluster|shards', 'cluster|nodes']

/** What happened on one node between two snapshots, rcdiag's own commands and connection subtracted. */
export interface NodeDelta {
  address: string
  seconds: number
  commands: number
  newConnections: number
  topologyCalls: number
  configGetCalls: number
  /** MOVED/ASK replies (INFO errorstats); null when either snapshot's server cannot count them */
  moved: number | null
  ask: number | null
  rejectedConnections: number
  evictedKeys: number
  expiredKeys: number
  /** calls and server-side microseconds per command name (commandstats), e.g. hmget */
  calls: Record<string, {calls: number; usec: number}>
}

export function computeDeltas(first: CollectedNode[], second: CollectedNode[]): NodeDelta[] {
  const out: NodeDelta[] = []
  for (const a of first) {
    const b = second.find((n) => n.snapshot.address === a.snapshot.address)
    if (!b || !a.snapshot.reachable || !b.snapshot.reachable || !hasInfo(a.snapshot) || !hasInfo(b.snapshot)) continue
    const own = merge(a.ownCallsAfterInfo, b.ownCallsBeforeInfo)
    const stats = (n: CollectedNode) => n.snapshot.commandstats
    /**
     * Calls of these commandstats keys, rcdiag's own subtracted. Redis < 7 counts subcommands under
     * their parent ("cluster", "config"): then the parent, less all of rcdiag's own calls of it, is
     * the best available (an upper bound), counted once however many of its subcommands were asked.
     */
    const callsOf = (...keys: string[]) => {
      const resolved = new Set(
        keys.map((key) =>
          key.includes('|') && !stats(a)[key] && !stats(b)[key] && (stats(a)[key.split('|')[0]] || stats(b)[key.split('|')[0]])
            ? key.split('|')[0]
            : key,
        ),
      )
      let total = 0
      for (const key of resolved) {
        const ownCalls = Object.entries(own).reduce(
          (sum, [k, n]) => sum + (k === key || (!key.includes('|') && k.startsWith(`${key}|`)) ? n : 0),
          0,
        )
        total += Math.max(0, delta(stats(a)[key]?.calls, stats(b)[key]?.calls) - ownCalls)
      }
      return total
    }
    const ownTotal = Object.values(own).reduce((sum, n) => sum + n, 0)
    const stat = (field: string) => delta(infoNumber(a.snapshot.info, 'stats', field), infoNumber(b.snapshot.info, 'stats', field))
    const calls: NodeDelta['calls'] = {}
    for (const key of Object.keys(b.snapshot.commandstats)) {
      const n = callsOf(key)
      if (n > 0) calls[key] = {calls: n, usec: delta(a.snapshot.commandstats[key]?.usec, b.snapshot.commandstats[key]?.usec)}
    }
    out.push({
      address: a.snapshot.address,
      seconds: Math.max(0.001, (b.snapshot.takenAtMs - a.snapshot.takenAtMs) / 1000),
      commands: Math.max(0, stat('total_commands_processed') - ownTotal),
      newConnections: Math.max(0, stat('total_connections_received') - a.ownConnectionsAfterInfo - b.ownConnectionsBeforeInfo),
      topologyCalls: callsOf(...TOPOLOGY_CALLS),
      configGetCalls: callsOf('config|get'),
      moved: countsErrors(a.snapshot) && countsErrors(b.snapshot) ? delta(a.snapshot.errorstats.MOVED, b.snapshot.errorstats.MOVED) : null,
      ask: countsErrors(a.snapshot) && countsErrors(b.snapshot) ? delta(a.snapshot.errorstats.ASK, b.snapshot.errorstats.ASK) : null,
      rejectedConnections: stat('rejected_connections'),
      evictedKeys: stat('evicted_keys'),
      expiredKeys: stat('expired_keys'),
      calls,
    })
  }
  return out
}

/**
 * Per-node and cluster rates between two snapshots of the same nodes, with rcdiag's own commands and
 * its one new connection per node subtracted, so a quiet cluster reads as zero.
 */
export function computeRates(first: CollectedNode[], second: CollectedNode[]): SampleEvidence {
  const deltas = computeDeltas(first, second)
  const nodes: SampleEvidence['nodes'] = deltas.map((d) => {
    const b = second.find((n) => n.snapshot.address === d.address)!
    const rates: Rates = {
      opsPerSec: perSec(d.commands, d.seconds),
      newConnectionsPerSec: perSec(d.newConnections, d.seconds),
      topologyCallsPerSec: perSec(d.topologyCalls, d.seconds),
      configGetPerSec: perSec(d.configGetCalls, d.seconds),
      movedPerSec: d.moved === null ? null : perSec(d.moved, d.seconds),
      askPerSec: d.ask === null ? null : perSec(d.ask, d.seconds),
      rejectedConnectionsPerSec: perSec(d.rejectedConnections, d.seconds),
      evictedKeysPerSec: perSec(d.evictedKeys, d.seconds),
      expiredKeysPerSec: perSec(d.expiredKeys, d.seconds),
    }
    return {address: d.address, rates, connectedClients: infoNumber(b.snapshot.info, 'clients', 'connected_clients')}
  })
  const durationMs = Math.round(Math.max(0, ...deltas.map((d) => d.seconds * 1000)))
  return {durationMs, cluster: sumRates(nodes.map((n) => n.rates)), nodes, changes: changesBetween(first, second)}
}

/** Role flips and config-epoch bumps between the two snapshots: a failover while we watched. */
function changesBetween(first: CollectedNode[], second: CollectedNode[]): SampleEvidence['changes'] {
  const changes: SampleEvidence['changes'] = []
  for (const a of first) {
    const b = second.find((n) => n.snapshot.address === a.snapshot.address)
    if (!b) continue
    const roleA = a.snapshot.info.replication?.role
    const roleB = b.snapshot.info.replication?.role
    if (roleA && roleB && roleA !== roleB) changes.push({address: a.snapshot.address, what: `role ${roleA} -> ${roleB}`, kind: 'role'})
    const epochA = a.snapshot.clusterNodes.find((l) => l.myself)?.configEpoch
    const epochB = b.snapshot.clusterNodes.find((l) => l.myself)?.configEpoch
    if (epochA !== undefined && epochB !== undefined && epochA !== epochB) {
      changes.push({address: a.snapshot.address, what: `config epoch ${epochA} -> ${epochB}`, kind: 'epoch'})
    }
    if (a.snapshot.reachable !== b.snapshot.reachable) {
      changes.push({
        address: a.snapshot.address,
        what: b.snapshot.reachable ? 'became reachable' : 'stopped answering',
        kind: 'reachability',
      })
    }
  }
  return changes
}

function hasInfo(snapshot: NodeSnapshot): boolean {
  return Object.keys(snapshot.info).length > 0
}

/** The server keeps INFO errorstats (Redis 6.2+, Valkey): MOVED and ASK can be counted. */
function countsErrors(snapshot: NodeSnapshot): boolean {
  return capabilitiesOf(snapshot.info)?.errorstats === true
}

function delta(a: number | undefined, b: number | undefined): number {
  // Counters reset on restart: a drop means "unknown", treated as zero rather than negative.
  return Math.max(0, (b ?? 0) - (a ?? 0))
}

function perSec(count: number, seconds: number): number {
  return Math.round((Math.max(0, count) / seconds) * 100) / 100
}

function merge(...maps: Array<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const map of maps) for (const [k, v] of Object.entries(map)) out[k] = (out[k] ?? 0) + v
  return out
}

/** Cluster-wide: the sum per rate; a rate unknown on any node is unknown for the cluster (a partial sum would read as measured). */
function sumRates(list: Rates[]): Rates {
  const sum = <K extends keyof Rates>(key: K): number => Math.round(list.reduce((total, rates) => total + (rates[key] ?? 0), 0) * 100) / 100
  const known = (key: 'movedPerSec' | 'askPerSec'): number | null => (list.some((rates) => rates[key] === null) ? null : sum(key))
  return {
    opsPerSec: sum('opsPerSec'),
    newConnectionsPerSec: sum('newConnectionsPerSec'),
    topologyCallsPerSec: sum('topologyCallsPerSec'),
    configGetPerSec: sum('configGetPerSec'),
    movedPerSec: known('movedPerSec'),
    askPerSec: known('askPerSec'),
    rejectedConnectionsPerSec: sum('rejectedConnectionsPerSec'),
    evictedKeysPerSec: sum('evictedKeysPerSec'),
    expiredKeysPerSec: sum('expiredKeysPerSec'),
  }
}
