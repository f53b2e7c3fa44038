import {describe, expect, it} from 'vitest'

import type {CollectedNode} from '../../../src/lib/redis/snapshot-types.js'
import {computeDeltas, computeRates} from '../../../src/lib/evidence/rates.js'
import type {NodeSnapshot} from '../../../src/lib/redis/snapshot-types.js'

function node(
  takenAtMs: number,
  commandstats: Record<string, number>,
  stats: Record<string, number>,
  own: Partial<CollectedNode> = {},
): CollectedNode {
  const snapshot = {
    address: '127.0.0.1:7000',
    takenAtMs,
    reachable: true,
    info: {stats: Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, String(v)])), replication: {role: 'master'}},
    commandstats: Object.fromEntries(
      Object.entries(commandstats).map(([k, calls]) => [k, {calls, usec: calls * 10, usecPerCall: 10, rejectedCalls: 0, failedCalls: 0}]),
    ),
    errorstats: {},
    clusterNodes: [],
  } as unknown as NodeSnapshot
  return {snapshot, ownCallsBeforeInfo: {}, ownCallsAfterInfo: {}, ownConnectionsBeforeInfo: 1, ownConnectionsAfterInfo: 0, ...own}
}

describe('computeDeltas / computeRates', () => {
  it('subtracts exactly what rcdiag itself sent between the two INFOs (Redis 7 subcommand stats)', () => {
    const first = node(
      0,
      {'cluster|slots': 100, 'cluster|nodes': 10, 'config|get': 5, hmget: 1000},
      {total_commands_processed: 2000, total_connections_received: 50},
      {
        ownCallsAfterInfo: {info: 1, 'cluster|nodes': 1, 'cluster|slots': 1, 'config|get': 1, ping: 3},
      },
    )
    const second = node(
      10_000,
      {'cluster|slots': 151, 'cluster|nodes': 11, 'config|get': 56, hmget: 2000},
      {total_commands_processed: 3150, total_connections_received: 101},
      {
        ownCallsBeforeInfo: {'client|setname': 1},
      },
    )
    const [d] = computeDeltas([first], [second])
    expect(d.topologyCalls).toBe(50) // (51 - 1) slots + (1 - 1) nodes
    expect(d.configGetCalls).toBe(50)
    expect(d.newConnections).toBe(50) // 51, less rcdiag's second connection
    expect(d.commands).toBe(1150 - 8)
    expect(d.calls.hmget.calls).toBe(1000)
    const rates = computeRates([first], [second])
    expect(rates.cluster.topologyCallsPerSec).toBe(5)
    expect(rates.changes).toEqual([])
  })

  it("falls back to the parent command on Redis 6, once, less all of rcdiag's calls of it", () => {
    const first = node(
      0,
      {cluster: 100, config: 5},
      {total_commands_processed: 0, total_connections_received: 0},
      {
        ownCallsAfterInfo: {'cluster|nodes': 1, 'cluster|info': 1, 'cluster|slots': 1, 'config|get': 1},
      },
    )
    const second = node(1000, {cluster: 133, config: 16}, {total_commands_processed: 0, total_connections_received: 1})
    const [d] = computeDeltas([first], [second])
    expect(d.topologyCalls).toBe(30) // 33 - 3 own cluster calls, not counted three times
    expect(d.configGetCalls).toBe(10)
  })

  it('counts a connection rcdiag had to reopen for timing as its own', () => {
    const first = node(0, {}, {total_connections_received: 10}, {ownConnectionsAfterInfo: 1})
    const second = node(1000, {}, {total_connections_received: 12})
    expect(computeDeltas([first], [second])[0].newConnections).toBe(0)
  })
})
