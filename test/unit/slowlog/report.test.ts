import {describe, expect, it} from 'vitest'

import {renderSlowlog} from '../../../src/lib/slowlog/render.js'
import {buildSlowlogReport, type NodeOutcome} from '../../../src/lib/slowlog/report.js'
import {schemaErrors} from '../../helpers/schema.js'

const node = (address: string) => ({address, role: 'master' as const})
const log = (address: string, server?: {vendor: string; version: string}) => ({address, entries: [], length: 0, server})

function report(outcomes: NodeOutcome[]) {
  return buildSlowlogReport({
    target: 'redis://127.0.0.1:7000',
    mode: 'cluster',
    outcomes,
    entries: [],
    filters: {count: null, sinceMs: null, minDurationUs: null},
    ownEntriesExcluded: 0,
    replicationEntriesExcluded: 0,
    groupBy: 'pattern',
    nowMs: 1_700_000_000_000,
  })
}

describe('the slowlog report names the servers', () => {
  it('per node and for the cluster, from the INFO server read with the SLOWLOG; null for a node not read', () => {
    const r = report([
      {node: node('127.0.0.1:7000'), log: log('127.0.0.1:7000', {vendor: 'valkey', version: '8.0.1'})},
      {node: node('127.0.0.1:7001'), log: log('127.0.0.1:7001', {vendor: 'valkey', version: '8.0.1'})},
      {node: node('127.0.0.1:7002'), error: 'connection refused'},
    ])
    expect(r.servers).toEqual([{vendor: 'valkey', version: '8.0.1', nodes: 2}])
    expect(r.nodes.map((n) => n.server)).toEqual([{vendor: 'valkey', version: '8.0.1'}, {vendor: 'valkey', version: '8.0.1'}, null])
    expect(renderSlowlog(r).split('\n')[0]).toMatch(/^rcdiag slowlog redis:\/\/127\.0\.0\.1:7000: Valkey 8\.0\.1, 2\/3 nodes answered/)
    expect(schemaErrors('slowlog.schema.json', r)).toBe('')
  })

  it('says nothing when no server said what it is', () => {
    const r = report([{node: node('127.0.0.1:7000'), log: log('127.0.0.1:7000')}])
    expect(r.servers).toEqual([])
    expect(renderSlowlog(r).split('\n')[0]).toMatch(/^rcdiag slowlog redis:\/\/127\.0\.0\.1:7000: 1\/1 nodes answered/)
  })
})
