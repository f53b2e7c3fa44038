import {collectAll} from '../redis/fan-out.js'
import type {CollectedNode} from '../redis/snapshot-types.js'
import type {Target} from '../redis/target.js'
import {computeDeltas} from '../evidence/rates.js'
import {capabilitiesOf} from '../parse/server.js'
import {DEFAULT_NODE_CONCURRENCY} from '../shared/constants.js'
import type {ServerPhaseDelta} from './types.js'

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

  snapshot(): Promise<CollectedNode[]> {
    const options = {mode: 'cluster' as const, pings: 0, timeTopologyCall: false, expectedIds: this.expectedIds}
    return collectAll(this.target, this.addresses, options, this.concurrency)
  }

  /** Connections open on the servers under the workload's client name. */
  static workloadConnections(snapshot: CollectedNode[], connectionName: string): number {
    return snapshot.reduce((sum, node) => sum + node.snapshot.clients.filter((c) => c.name === connectionName).length, 0)
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
