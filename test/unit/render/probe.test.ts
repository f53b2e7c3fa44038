/**
 * renderProbe: the human probe report, a pure function of the JSON document. Reports are written by
 * hand; the assertions read the table cells, their order and the numbers as the renderer formats them.
 */
import {describe, expect, it} from 'vitest'

import type {Rates} from '../../../src/lib/evidence/types.js'
import type {Finding} from '../../../src/lib/findings/types.js'
import {renderProbe} from '../../../src/lib/render/probe.js'
import type {NodeReport, ProbeReport, SampleReport} from '../../../src/lib/report/probe-report.js'

const ADDRESS = (i: number) => `10.0.0.${i + 1}:7000`

function nodeReport(over: Partial<NodeReport> = {}): NodeReport {
  return {
    address: ADDRESS(0),
    id: 'a'.repeat(40),
    role: 'master',
    server: {vendor: 'redis', version: '7.0.15'},
    reachable: true,
    error: null,
    connectedAt: null,
    answeredAs: null,
    slots: 5461,
    rttMs: 0.234,
    rttMinMs: 0.2,
    topologyCallMs: 1.05,
    config: {timeout: 0, 'tcp-keepalive': 300, maxclients: 10000},
    clients: {
      count: 20,
      idle: {count: 20, p50: 3, p90: 14, max: 290},
      age: {count: 20, p50: 3600, p90: 7200, max: 86400},
      idleOverHalfTimeout: null,
      idleOver80PctTimeout: null,
      topGroups: [],
      newGroups: [],
    },
    slowlog: {length: 4, internalEntries: 1, read: 4, maxDurationUs: 12000, topCommands: [], topPatterns: []},
    clusterState: 'ok',
    migrating: [],
    importing: [],
    latencyLatest: [],
    latencystats: {},
    configEpoch: 1,
    stats: {},
    skipped: [],
    ...over,
  }
}

/** A healthy 3 masters + 3 replicas cluster. */
function clusterNodes(): NodeReport[] {
  return [0, 1, 2, 3, 4, 5].map((i) =>
    nodeReport({
      address: ADDRESS(i),
      role: i < 3 ? 'master' : 'replica',
      slots: i < 3 ? [5461, 5462, 5461][i] : 0,
      rttMs: [0.234, 12.345, 0.5, 1, 9.5, 0.01][i],
      configEpoch: i < 3 ? i + 1 : 0,
    }),
  )
}

function probeReport(over: Partial<ProbeReport> = {}): ProbeReport {
  return {
    schemaVersion: 1,
    command: 'probe',
    rcdiagVersion: '0.1.0',
    generatedAt: '2026-11-28T21:17:29.000Z',
    target: 'redis://10.0.0.1:7000',
    mode: 'cluster',
    durationMs: 120,
    cluster: {state: 'ok', slotsCovered: 16384, masters: 3, replicas: 3, topologySource: 'cluster shards'},
    addressing: null,
    servers: [{vendor: 'redis', version: '7.0.15', nodes: 6}],
    nodes: clusterNodes(),
    skipped: [],
    findings: [],
    ...over,
  }
}

function finding(over: Partial<Finding> = {}): Finding {
  return {
    id: 'idle-timeout-reconnect',
    severity: 'warning',
    confidence: 0.6,
    title: 'Server timeout 300 s closes pooled connections idle longer than that; the next command pays a reconnect',
    evidence: ['timeout 300 s on 6/6 reachable nodes'],
    remedy: 'CONFIG SET timeout 0',
    ...over,
  }
}

/** The rows of the table under `heading` (the header row included), each as its trimmed cells. */
function tableRows(text: string, heading: string): string[][] {
  const lines = text.split('\n')
  const start = lines.findIndex((line) => line.startsWith(heading))
  if (start < 0) throw new Error(`no section "${heading}" in:\n${text}`)
  const rows: string[][] = []
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('└')) break
    if (!line.startsWith('│')) continue
    rows.push(
      line
        .split('│')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    )
  }
  return rows
}

const rowOf = (rows: string[][], first: string): string[] => {
  const row = rows.find((r) => r[0] === first)
  if (!row) throw new Error(`no row "${first}" in ${JSON.stringify(rows)}`)
  return row
}

const rates = (over: Partial<Rates> = {}): Rates => ({
  opsPerSec: 0,
  newConnectionsPerSec: 0,
  topologyCallsPerSec: 0,
  configGetPerSec: 0,
  movedPerSec: 0,
  askPerSec: 0,
  rejectedConnectionsPerSec: 0,
  evictedKeysPerSec: 0,
  expiredKeysPerSec: 0,
  ...over,
})

describe('renderProbe: a healthy 3+3 cluster', () => {
  const text = renderProbe(probeReport())

  it('opens with the one-line summary, then the headline', () => {
    const [summary, blank, headline] = text.split('\n')
    expect(summary).toBe(
      'rcdiag probe redis://10.0.0.1:7000: Redis 7.0.15, cluster ok, 16384/16384 slots ok, 3 masters, 3 replicas, 6/6 nodes answered, 120 ms',
    )
    expect(blank).toBe('')
    expect(headline).toMatch(/^Nothing server-side explains intermittent latency/)
    expect(text.endsWith('\n')).toBe(true)
  })

  it('has a Nodes table with the header and one row per node, in report order', () => {
    const rows = tableRows(text, 'Nodes')
    expect(rows[0]).toEqual([
      'Node',
      'Server',
      'Role',
      'Slots',
      'RTT ms',
      'Slots call ms',
      'timeout s',
      'keepalive s',
      'Clients',
      'Idle p90/max s',
      'Slowlog',
    ])
    expect(rows.slice(1).map((r) => r[0])).toEqual([0, 1, 2, 3, 4, 5].map(ADDRESS))
  })

  it('fills a master row: slots, RTT with 2 decimals under 10 ms, config, client count, idle p90/max, slowlog length', () => {
    expect(rowOf(tableRows(text, 'Nodes'), ADDRESS(0))).toEqual([
      ADDRESS(0),
      'Redis 7.0.15',
      'master',
      '5461',
      '0.23',
      '1.05',
      '0',
      '300',
      '20',
      '14/290',
      '4',
    ])
  })

  it('formats milliseconds with 1 decimal from 10 ms on', () => {
    const rows = tableRows(text, 'Nodes')
    expect(rowOf(rows, ADDRESS(1))[3]).toBe('5462')
    expect(rowOf(rows, ADDRESS(1))[4]).toBe('12.3')
    expect(rowOf(rows, ADDRESS(3))[4]).toBe('1.00')
    expect(rowOf(rows, ADDRESS(5))[4]).toBe('0.01')
  })

  it('a replica shows "-" for slots', () => {
    expect(rowOf(tableRows(text, 'Nodes'), ADDRESS(4)).slice(0, 4)).toEqual([ADDRESS(4), 'Redis 7.0.15', 'replica', '-'])
  })

  it('has no sample table, no skipped checks, and says there are no findings', () => {
    expect(text).not.toContain('Sample over')
    expect(text).not.toContain('Skipped checks')
    expect(text.trimEnd().endsWith('Findings: none.')).toBe(true)
  })
})

describe('renderProbe: what was not measured', () => {
  it('shows "-" for missing timings and "n/a" for config, clients and slowlog that were not read', () => {
    const nodes = clusterNodes()
    nodes[2] = {...nodes[2], rttMs: null, topologyCallMs: null, config: {}, clients: null, slowlog: null}
    const row = rowOf(tableRows(renderProbe(probeReport({nodes})), 'Nodes'), ADDRESS(2))
    expect(row).toEqual([ADDRESS(2), 'Redis 7.0.15', 'master', '5461', '-', '-', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a'])
  })

  it('a master with no slots shows "-"', () => {
    const nodes = clusterNodes()
    nodes[0] = {...nodes[0], slots: 0}
    expect(rowOf(tableRows(renderProbe(probeReport({nodes})), 'Nodes'), ADDRESS(0))[3]).toBe('-')
  })
})

describe('renderProbe: an unreachable node', () => {
  const nodes = clusterNodes()
  nodes[4] = {
    ...nodes[4],
    reachable: false,
    error: 'timed out (no reply within 2000 ms)',
    rttMs: null,
    topologyCallMs: null,
    clients: null,
    slowlog: null,
    config: {},
  }
  nodes[1] = {...nodes[1], reachable: false, error: null, rttMs: null, topologyCallMs: null, clients: null, slowlog: null, config: {}}
  const report = probeReport({
    nodes,
    cluster: {state: 'fail', slotsCovered: 10922, masters: 3, replicas: 3, topologySource: 'cluster nodes'},
  })
  const text = renderProbe(report)
  const rows = tableRows(text, 'Nodes')

  it('counts only the nodes that answered in the summary', () => {
    expect(text.split('\n')[0]).toBe(
      'rcdiag probe redis://10.0.0.1:7000: Redis 7.0.15, cluster fail, 10922/16384 slots ok, 3 masters, 3 replicas, 4/6 nodes answered, 120 ms',
    )
  })

  it('shows "UNREACHABLE: <error>" across the row after node, role and slots', () => {
    const row = rowOf(rows, ADDRESS(4))
    expect(row).toEqual([ADDRESS(4), '-', 'replica', '-', 'UNREACHABLE: timed out (no reply within 2000 ms)'])
  })

  it('an unreachable master keeps its slots; without an error text it says "no answer"', () => {
    expect(rowOf(rows, ADDRESS(1))).toEqual([ADDRESS(1), '-', 'master', '5462', 'UNREACHABLE: no answer'])
  })

  it('the other rows are intact and in order', () => {
    expect(rows.slice(1).map((r) => r[0])).toEqual([0, 1, 2, 3, 4, 5].map(ADDRESS))
    expect(rowOf(rows, ADDRESS(5))).toHaveLength(11)
  })

  // cli-table3 draws the lines above and below a cell spanning columns with the row rules: a style
  // without them left lines of bare "┴┴┴┴" and "┬┬┬┬" around every UNREACHABLE row.
  it('draws no stray border-only lines around the UNREACHABLE row', () => {
    const inside = text.split('\n').filter((line) => /^[┴┬]+$/.test(line))
    expect(inside).toEqual([])
  })
})

describe('renderProbe: a standalone server', () => {
  const text = renderProbe(
    probeReport({
      target: 'redis://127.0.0.1:6379',
      mode: 'standalone',
      cluster: null,
      durationMs: 35,
      nodes: [
        nodeReport({
          address: '127.0.0.1:6379',
          id: null,
          slots: 0,
          clusterState: null,
          configEpoch: null,
          config: {timeout: 300, 'tcp-keepalive': 0},
        }),
      ],
    }),
  )

  it('says standalone, without slots or masters', () => {
    const summary = text.split('\n')[0]
    expect(summary).toBe('rcdiag probe redis://127.0.0.1:6379: standalone Redis 7.0.15, 1/1 nodes answered, 35 ms')
    expect(summary).not.toContain('slots')
  })

  it('has one row, slots "-", and its config', () => {
    const rows = tableRows(text, 'Nodes')
    expect(rows).toHaveLength(2)
    expect(rows[1]).toEqual(['127.0.0.1:6379', 'Redis 7.0.15', 'master', '-', '0.23', '1.05', '300', '0', '20', '14/290', '4'])
  })
})

describe('renderProbe: --sample', () => {
  const sample: SampleReport = {
    requestedMs: 10_000,
    durationMs: 10_000,
    interrupted: false,
    cluster: rates({
      opsPerSec: 1250.5,
      newConnectionsPerSec: 12,
      topologyCallsPerSec: 30.6,
      configGetPerSec: 30.6,
      movedPerSec: 2.5,
      rejectedConnectionsPerSec: 0.1,
    }),
    nodes: [0, 1, 2, 3, 4, 5].map((i) => ({
      address: ADDRESS(i),
      connectedClients: 21,
      ...(i === 0
        ? rates({
            opsPerSec: 1250.5,
            newConnectionsPerSec: 12,
            topologyCallsPerSec: 30.6,
            configGetPerSec: 30.6,
            movedPerSec: 2.5,
            askPerSec: 0,
            rejectedConnectionsPerSec: 0.1,
          })
        : rates()),
    })),
    changes: [],
  }

  it('adds a rates table after the nodes: one row per node, then the cluster total', () => {
    const text = renderProbe(probeReport({sample}))
    expect(text).toContain("Sample over 10.0 s, rcdiag's own calls excluded\n")
    const rows = tableRows(text, 'Sample over')
    expect(rows[0]).toEqual(['Node', 'ops/s', 'new conn/s', 'topology calls/s', 'config get/s', 'MOVED/s', 'ASK/s', 'rejected/s'])
    expect(rows.slice(1).map((r) => r[0])).toEqual([...[0, 1, 2, 3, 4, 5].map(ADDRESS), 'cluster'])
    expect(rowOf(rows, ADDRESS(0))).toEqual([ADDRESS(0), '1250.5', '12', '30.6', '30.6', '2.5', '0', '0.1'])
    expect(rowOf(rows, ADDRESS(3))).toEqual([ADDRESS(3), '0', '0', '0', '0', '0', '0', '0'])
    expect(rowOf(rows, 'cluster')).toEqual(['cluster', '1250.5', '12', '30.6', '30.6', '2.5', '0', '0.1'])
    expect(text.indexOf('Sample over')).toBeGreaterThan(text.indexOf('Nodes\n'))
  })

  it('a redirect count the servers cannot give (Redis 6.0: no errorstats) reads n/a, never 0', () => {
    const unknown = {movedPerSec: null, askPerSec: null}
    const blind: SampleReport = {...sample, cluster: {...sample.cluster, ...unknown}, nodes: sample.nodes.map((n) => ({...n, ...unknown}))}
    const rows = tableRows(renderProbe(probeReport({sample: blind})), 'Sample over')
    expect(rowOf(rows, ADDRESS(0)).slice(5, 7)).toEqual(['n/a', 'n/a'])
    expect(rowOf(rows, 'cluster').slice(5, 7)).toEqual(['n/a', 'n/a'])
  })

  it('says so when the sample was cut short, with the real duration', () => {
    const text = renderProbe(probeReport({sample: {...sample, durationMs: 4_321, interrupted: true}}))
    expect(text).toContain("Sample over 4.3 s (interrupted early), rcdiag's own calls excluded")
  })
})

describe('renderProbe: skipped checks', () => {
  it('one line per refused command with the number of nodes, the check and the reason', () => {
    const text = renderProbe(
      probeReport({
        skipped: [
          {
            check: 'config',
            command: 'CONFIG GET',
            reason: "ERR unknown command 'CONFIG', with args beginning with: 'GET'",
            nodes: [ADDRESS(0), ADDRESS(1), ADDRESS(2)],
          },
          {
            check: 'client-list',
            command: 'CLIENT LIST',
            reason: "NOPERM this user has no permissions to run the 'client|list' command",
            nodes: [ADDRESS(4)],
          },
        ],
      }),
    )
    const section = text.split('\n\n').find((part) => part.startsWith('Skipped checks'))
    expect(section?.split('\n')).toEqual([
      'Skipped checks',
      "- CONFIG GET refused on 3 node(s) (config checks skipped): ERR unknown command 'CONFIG', with args beginning with: 'GET'",
      "- CLIENT LIST refused on 1 node(s) (client-list checks skipped): NOPERM this user has no permissions to run the 'client|list' command",
    ])
  })
})

describe('renderProbe: findings', () => {
  it('names the most likely cause in the headline and lists the findings last', () => {
    const findings = [
      finding(),
      finding({
        id: 'server-latency-events',
        severity: 'info',
        confidence: 0.2,
        title: 'Latency monitor is off on 6 node(s)',
        evidence: [],
        remedy: 'CONFIG SET latency-monitor-threshold 100',
      }),
    ]
    const text = renderProbe(probeReport({findings}))
    expect(text.split('\n')[2]).toBe(
      'Most likely cause: Server timeout 300 s closes pooled connections idle longer than that; the next command pays a reconnect [idle-timeout-reconnect]',
    )
    expect(text).toContain('1. [WARNING] Server timeout 300 s')
    expect(text).toContain('2. [info] Latency monitor is off on 6 node(s)')
    expect(text).not.toContain('Findings: none.')
  })

  it('keeps the sections in order: summary, headline, nodes, sample, skipped, findings', () => {
    const text = renderProbe(
      probeReport({
        findings: [finding()],
        skipped: [{check: 'slowlog', command: 'SLOWLOG GET', reason: 'NOPERM', nodes: [ADDRESS(5)]}],
        sample: {requestedMs: 5000, durationMs: 5000, interrupted: false, cluster: rates(), nodes: [], changes: []},
      }),
    )
    const positions = [
      'rcdiag probe ',
      'Most likely cause:',
      'Nodes\n',
      'Sample over 5.0 s',
      'Skipped checks',
      'Findings (most likely first):',
    ].map((s) => text.indexOf(s))
    expect(positions.every((p) => p >= 0)).toBe(true)
    expect(positions).toEqual([...positions].sort((a, b) => a - b))
  })
})

describe('renderProbe: the servers', () => {
  it('names the server in the summary and in every answering row', () => {
    const text = renderProbe(probeReport())
    expect(text.split('\n')[0]).toContain(': Redis 7.0.15, cluster ok,')
    expect(
      tableRows(text, 'Nodes')
        .slice(1)
        .map((r) => r[1]),
    ).toEqual(Array(6).fill('Redis 7.0.15'))
  })

  it('during an upgrade lists every version with its node count, and each row its own', () => {
    const nodes = clusterNodes().map((n, i) => ({
      ...n,
      server: i < 4 ? {vendor: 'valkey', version: '8.0.1'} : {vendor: 'redis', version: '7.2.4'},
    }))
    const servers = [
      {vendor: 'valkey', version: '8.0.1', nodes: 4},
      {vendor: 'redis', version: '7.2.4', nodes: 2},
    ]
    const text = renderProbe(probeReport({nodes, servers}))
    expect(text.split('\n')[0]).toContain(': Valkey 8.0.1 on 4 nodes, Redis 7.2.4 on 2 nodes, cluster ok,')
    expect(rowOf(tableRows(text, 'Nodes'), ADDRESS(5))[1]).toBe('Redis 7.2.4')
  })

  it('says nothing it does not know: no server read, no server named', () => {
    const nodes = clusterNodes().map((n) => ({...n, server: null}))
    const text = renderProbe(probeReport({nodes, servers: []}))
    expect(text.split('\n')[0]).toMatch(/^rcdiag probe redis:\/\/10\.0\.0\.1:7000: cluster ok,/)
    expect(
      tableRows(text, 'Nodes')
        .slice(1)
        .map((r) => r[1]),
    ).toEqual(Array(6).fill('n/a'))
  })
})

describe('renderProbe: what to do next when nothing server-side explains it', () => {
  it('suggests replay for a cluster, never for a standalone server (replay needs a cluster)', () => {
    expect(renderProbe(probeReport())).toContain('Next: run `rcdiag replay`')
    const standalone = renderProbe(probeReport({mode: 'standalone', cluster: null, nodes: [nodeReport()]}))
    expect(standalone).not.toContain('rcdiag replay')
    expect(standalone).toContain("compare the clients' idle times with the server `timeout`")
  })
})
