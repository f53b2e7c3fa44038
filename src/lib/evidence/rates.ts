import type {CollectedNode} from '../collect/snapshot.js'
import {infoNumber} from '../parse/info.js'
import type {NodeSnapshot, Rates, SampleEvidence} from './types.js'

const TOPOLOGY_CALLS = ['cluster|slots', 'cluster|shards', 'cluster|nodes']

/**
 * Per-node and cluster rates between two snapshots of the same nodes, with rcdiag's own commands and
 * its one new connection per node subtracted, so a quiet cluster reads as zero.
 */
export function computeRates(first: CollectedNode[], second: CollectedNode[]): SampleEvidence {
  const nodes: SampleEvidence['nodes'] = []
  let durationMs = 0
  for (const a of first) {
    const b = second.find((n) => n.snapshot.address === a.snapshot.address)
    if (!b || !a.snapshot.reachable || !b.snapshot.reachable || !hasInfo(a.snapshot) || !hasInfo(b.snapshot)) continue
    const seconds = Math.max(0.001, (b.snapshot.takenAtMs - a.snapshot.takenAtMs) / 1000)
    durationMs = Math.max(durationMs, b.snapshot.takenAtMs - a.snapshot.takenAtMs)
    const own = merge(a.ownCallsAfterInfo, b.ownCallsBeforeInfo)
    const calls = (keys: string[]) =>
      keys.reduce((sum, key) => sum + delta(a.snapshot.commandstats[key]?.calls, b.snapshot.commandstats[key]?.calls) - (own[key] ?? 0), 0)
    const ownTotal = Object.values(own).reduce((sum, n) => sum + n, 0)
    const stat = (field: string) => delta(infoNumber(a.snapshot.info, 'stats', field), infoNumber(b.snapshot.info, 'stats', field))
    const rates: Rates = {
      opsPerSec: perSec(stat('total_commands_processed') - ownTotal, seconds),
      newConnectionsPerSec: perSec(stat('total_connections_received') - 1, seconds),
      topologyCallsPerSec: perSec(calls(TOPOLOGY_CALLS), seconds),
      configGetPerSec: perSec(calls(['config|get']), seconds),
      movedPerSec: perSec(delta(a.snapshot.errorstats.MOVED, b.snapshot.errorstats.MOVED), seconds),
      askPerSec: perSec(delta(a.snapshot.errorstats.ASK, b.snapshot.errorstats.ASK), seconds),
      rejectedConnectionsPerSec: perSec(stat('rejected_connections'), seconds),
    }
    nodes.push({address: a.snapshot.address, rates, connectedClients: infoNumber(b.snapshot.info, 'clients', 'connected_clients')})
  }
  return {durationMs, cluster: sumRates(nodes.map((n) => n.rates)), nodes}
}

function hasInfo(snapshot: NodeSnapshot): boolean {
  return Object.keys(snapshot.info).length > 0
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

function sumRates(list: Rates[]): Rates {
  const total: Rates = {
    opsPerSec: 0,
    newConnectionsPerSec: 0,
    topologyCallsPerSec: 0,
    configGetPerSec: 0,
    movedPerSec: 0,
    askPerSec: 0,
    rejectedConnectionsPerSec: 0,
  }
  for (const rates of list) for (const key of Object.keys(total) as Array<keyof Rates>) total[key] += rates[key]
  for (const key of Object.keys(total) as Array<keyof Rates>) total[key] = Math.round(total[key] * 100) / 100
  return total
}
