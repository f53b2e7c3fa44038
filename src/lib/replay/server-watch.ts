import {collectAll} from '../redis/fan-out.js'
import {emptySnapshot, type CollectedNode} from '../redis/snapshot-types.js'
import type {Target} from '../redis/target.js'
import {computeDeltas} from '../evidence/rates.js'
import {capabilitiesOf} from '../parse/server.js'
import {DEFAULT_NODE_CONCURRENCY} from '../shared/constants.js'
import type {ServerPhaseDelta} from './types.js'

const SKIP_SILENT_MS = 15_000

/** A node left out of a snapshot because it answered nothing at a recent one. */
function notRead(address: string): CollectedNode {
  const snapshot = {...emptySnapshot(address, Date.now()), reachable: false, error: 'not read: it answered nothing at a recent read'}
  return {snapshot, ownCallsBeforeInfo: {}, ownCallsAfterInfo: {}, ownConnectionsBeforeInfo: 0, ownConnectionsAfterInfo: 0}
}

/**
 * Server-side counters around each phase, read on rcdiag's own short-lived connections (never on
 * the workload's, which must stay silent during a gap).
 */
export class ServerWatch {
  constructor(
    private readonly target: Target,
    private readonly addresses: string[],
    /** address → node id: a node answering with another id is not read as that node */
    private readonly expectedIds?: ReadonlyMap<string, string>,
    private readonly concurrency = DEFAULT_NODE_CONCURRENCY,
  ) {}

  /** address → performance.now() until which the node is not read again: it answered nothing last time */
  private readonly skipUntil = new Map<string, number>()

  /**
   * Every node's counters, on fresh connections. A node that accepted the connection and answered
   * nothing is not read again for SKIP_SILENT_MS: waiting out its timeout at every phase boundary
   * would stretch the schedule (and --duration) by seconds each time while it learns nothing new.
   */
  async snapshot(): Promise<CollectedNode[]> {
    const now = performance.now()
    const live = this.addresses.filter((address) => (this.skipUntil.get(address) ?? 0) <= now)
    const options = {mode: 'cluster' as const, pings: 0, timeTopologyCall: false, expectedIds: this.expectedIds}
    const read = await collectAll(this.target, live, options, this.concurrency)
    for (const node of read) {
      if (node.snapshot.blocked?.kind === 'stalled') this.skipUntil.set(node.snapshot.address, performance.now() + SKIP_SILENT_MS)
    }
    const byAddress = new Map(read.map((node) => [node.snapshot.address, node]))
    return this.addresses.map((address) => byAddress.get(address) ?? notRead(address))
  }

  /**
   * The workload's connections (by client name) open on the servers before and after a gap, on the
   * nodes read both times: a node that did not answer one of the snapshots has no client list, which
   * must not read as its connections having been closed.
   */
  static workloadConnections(before: CollectedNode[], after: CollectedNode[], connectionName: string): {before: number; after: number} {
    const read = (list: CollectedNode[]) => new Set(list.filter((n) => n.snapshot.reachable).map((n) => n.snapshot.address))
    const readAfter = read(after)
    const both = new Set([...read(before)].filter((address) => readAfter.has(address)))
    const count = (list: CollectedNode[]) =>
      list
        .filter((n) => both.has(n.snapshot.address))
        .reduce((sum, node) => sum + node.snapshot.clients.filter((c) => c.name === connectionName).length, 0)
    return {before: count(before), after: count(after)}
  }

  static delta(before: CollectedNode[], after: CollectedNode[]): ServerPhaseDelta | null {
    const deltas = computeDeltas(before, after)
    if (deltas.length === 0) return null
    const sum = (pick: (d: (typeof deltas)[number]) => number) => deltas.reduce((total, d) => total + pick(d), 0)
    /** A count unknown on any node is unknown for the phase: a partial sum would read as measured. */
    const known = (pick: (d: (typeof deltas)[number]) => number | null) =>
      deltas.some((d) => pick(d) === null) ? null : sum((d) => pick(d) ?? 0)
    const read = after.filter((n) => deltas.some((d) => d.address === n.snapshot.address))
    const perSubcommand = read.every((n) => capabilitiesOf(n.snapshot.info)?.subcommandStats === true)
    const hmgetCalls = sum((d) => d.calls.hmget?.calls ?? 0)
    const hmgetUsec = sum((d) => d.calls.hmget?.usec ?? 0)
    const p99s = after.map((n) => n.snapshot.latencystats.hmget?.p99).filter((v): v is number => typeof v === 'number')
    return {
      newConnections: sum((d) => d.newConnections),
      topologyCalls: sum((d) => d.topologyCalls),
      clusterSlotsCalls: perSubcommand ? sum((d) => d.calls['cluster|slots']?.calls ?? 0) : null,
      configGetCalls: sum((d) => d.configGetCalls),
      moved: known((d) => d.moved),
      ask: known((d) => d.ask),
      hmgetCalls,
      hmgetUsecPerCall: hmgetCalls > 0 ? Math.round((hmgetUsec / hmgetCalls) * 100) / 100 : null,
      hmgetP99Usec: p99s.length > 0 ? Math.max(...p99s) : null,
    }
  }
}
