/**
 * buildProbeReport: evidence + findings → the probe's JSON document (schemas/probe.schema.json).
 * Unknown numbers are null, never 0; skipped checks are grouped; the sample appears only when asked for.
 */
import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import type {ProbeEvidence} from '../../../src/lib/evidence/types.js'
import {diagnose} from '../../../src/lib/findings/engine.js'
import {buildProbeReport, type ProbeReport, type ProbeReportInput} from '../../../src/lib/report/probe-report.js'
import {ADDRESSES, MASTER_IDS, healthyEvidence, sample, withConfig, withNodes} from '../../helpers/evidence-builder.js'
import {schemaErrors} from '../../helpers/schema.js'

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {version: string}).version

/** The healthy 3+3 cluster with the slot counts the topology gives (masters 5461/5462/5461, replicas 0). */
function clusterEvidence(): ProbeEvidence {
  return withNodes(healthyEvidence(), (node, i) => {
    node.slots = [5461, 5462, 5461, 0, 0, 0][i]
  })
}

function report(evidence: ProbeEvidence, over: Partial<ProbeReportInput> = {}): ProbeReport {
  return buildProbeReport({
    target: 'redis://127.0.0.1:7000',
    evidence,
    findings: diagnose(evidence),
    durationMs: 123,
    sampleInterrupted: false,
    ...over,
  })
}

describe('buildProbeReport: the document', () => {
  it('carries the schema version, command, version, time, target and the cluster as evidence found it', () => {
    const before = Date.now()
    const doc = report(clusterEvidence())
    expect(doc.schemaVersion).toBe(1)
    expect(doc.command).toBe('probe')
    expect(doc.rcdiagVersion).toBe(PACKAGE_VERSION)
    expect(doc.target).toBe('redis://127.0.0.1:7000')
    expect(doc.mode).toBe('cluster')
    expect(doc.durationMs).toBe(123)
    expect(doc.generatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(Date.parse(doc.generatedAt)).toBeGreaterThanOrEqual(before - 1000)
    expect(doc.cluster).toEqual({state: 'ok', slotsCovered: 16384, masters: 3, replicas: 3, topologySource: 'cluster shards'})
  })

  it('one node entry per evidence node, in order, with the slots the topology gave', () => {
    const doc = report(clusterEvidence())
    expect(doc.nodes.map((n) => n.address)).toEqual(ADDRESSES)
    expect(doc.nodes.map((n) => n.slots)).toEqual([5461, 5462, 5461, 0, 0, 0])
    expect(doc.nodes.map((n) => n.role)).toEqual(['master', 'master', 'master', 'replica', 'replica', 'replica'])
    expect(doc.nodes[0]).toMatchObject({
      id: MASTER_IDS[0],
      reachable: true,
      error: null,
      rttMs: 0.2,
      topologyCallMs: 0.1,
      clusterState: 'ok',
      configEpoch: 1,
    })
    expect(doc.nodes[0].config).toMatchObject({timeout: 0, 'tcp-keepalive': 300, save: '3600 1 300 100 60 10000'})
    expect(doc.nodes[0].clients?.count).toBe(20)
    expect(doc.nodes[0].slowlog?.length).toBe(0)
    expect(doc.nodes[0].latencystats).toEqual({hmget: {p50: 2, p99: 8, p999: 15}})
  })

  it('passes the findings through in their ranked order', () => {
    const evidence = withConfig(clusterEvidence(), 'timeout', 5)
    const findings = diagnose(evidence)
    const doc = report(evidence, {findings})
    expect(doc.findings).toEqual(findings)
    expect(doc.findings[0].id).toBe('idle-timeout-reconnect')
  })

  it('a standalone server has cluster null', () => {
    const evidence: ProbeEvidence = {mode: 'standalone', seed: '127.0.0.1:6379', nodes: [clusterEvidence().nodes[0]]}
    evidence.nodes[0].address = '127.0.0.1:6379'
    evidence.nodes[0].slots = 0
    const doc = report(evidence, {target: 'redis://127.0.0.1:6379'})
    expect(doc.mode).toBe('standalone')
    expect(doc.cluster).toBeNull()
    expect(doc.nodes[0].slots).toBe(0)
  })
})

describe('buildProbeReport: unknown is null, never 0', () => {
  it('timings not measured are null', () => {
    const evidence = withNodes(
      clusterEvidence(),
      (node) => {
        delete node.rttMs
        delete node.topologyCallMs
      },
      [2],
    )
    const doc = report(evidence)
    expect(doc.nodes[2]).toMatchObject({rttMs: null, rttMinMs: null, topologyCallMs: null})
    // the builder's nodes have no rttMinMs at all: null everywhere, and the measured ones stay numbers
    expect(doc.nodes.map((n) => n.rttMinMs)).toEqual(Array(6).fill(null))
    expect(doc.nodes[1].rttMs).toBe(0.2)
  })

  it('clients, slowlog, cluster state, id and epoch are null when they were not read', () => {
    const evidence = withNodes(
      clusterEvidence(),
      (node) => {
        delete node.clients
        delete node.slowlog
        delete node.clusterState
        delete node.id
        delete node.configEpoch
        node.skipped = [{check: 'client-list', command: 'CLIENT LIST', reason: 'NOPERM'}]
      },
      [4],
    )
    const node = report(evidence).nodes[4]
    expect(node).toMatchObject({clients: null, slowlog: null, clusterState: null, id: null, configEpoch: null})
    expect(report(evidence).nodes[3].clients).not.toBeNull()
  })

  it('an unreachable node: error text, null measurements, stats as known (empty), slots 0 when unknown', () => {
    const evidence = withNodes(
      clusterEvidence(),
      (node) => {
        node.reachable = false
        node.error = 'timed out (no reply within 2000 ms)'
        delete node.rttMs
        delete node.topologyCallMs
        delete node.clients
        delete node.slowlog
        delete node.clusterState
        delete node.slots
        node.config = {}
        node.stats = {}
      },
      [5],
    )
    const node = report(evidence).nodes[5]
    expect(node).toMatchObject({
      reachable: false,
      error: 'timed out (no reply within 2000 ms)',
      rttMs: null,
      topologyCallMs: null,
      clients: null,
      slowlog: null,
      clusterState: null,
      slots: 0,
      config: {},
      stats: {},
    })
  })

  it('stats are copied as they are: no field is added', () => {
    const evidence = withNodes(
      clusterEvidence(),
      (node) => {
        node.stats = {usedMemory: 1024}
      },
      [1],
    )
    expect(report(evidence).nodes[1].stats).toEqual({usedMemory: 1024})
  })
})

describe('buildProbeReport: skipped checks', () => {
  it('groups by check and command, listing the nodes; each node keeps its own list', () => {
    const configRefused = {check: 'config', command: 'CONFIG GET', reason: "ERR unknown command 'CONFIG', with args beginning with: 'GET'"}
    const evidence = withNodes(
      clusterEvidence(),
      (node, i) => {
        node.skipped =
          i === 4
            ? [
                {check: 'slowlog', command: 'SLOWLOG GET', reason: 'NOPERM slowlog'},
                {check: 'slowlog', command: 'SLOWLOG LEN', reason: 'NOPERM slowlog'},
              ]
            : [{...configRefused}]
      },
      [1, 2, 4],
    )
    const doc = report(evidence)
    expect(doc.skipped).toEqual([
      {...configRefused, nodes: [ADDRESSES[1], ADDRESSES[2]]},
      {check: 'slowlog', command: 'SLOWLOG GET', reason: 'NOPERM slowlog', nodes: [ADDRESSES[4]]},
      {check: 'slowlog', command: 'SLOWLOG LEN', reason: 'NOPERM slowlog', nodes: [ADDRESSES[4]]},
    ])
    expect(doc.nodes[1].skipped).toEqual([configRefused])
    expect(doc.nodes[0].skipped).toEqual([])
  })

  it('nothing skipped: an empty list', () => {
    expect(report(clusterEvidence()).skipped).toEqual([])
  })
})

describe('buildProbeReport: the sample', () => {
  it('is present only when a sample was requested', () => {
    const evidence = clusterEvidence()
    evidence.sample = sample({opsPerSec: 120})
    const doc = report(evidence)
    expect('sample' in doc).toBe(false)
    expect('sample' in report(clusterEvidence(), {sampleRequestedMs: 10_000})).toBe(false) // asked, but none taken
  })

  it('flattens the per-node rates next to the address and keeps the cluster total', () => {
    const evidence = clusterEvidence()
    evidence.sample = sample({opsPerSec: 120, topologyCallsPerSec: 3})
    evidence.sample.nodes[5].connectedClients = undefined // INFO not read on that node the second time
    evidence.sample.changes = [{address: ADDRESSES[3], what: 'role slave -> master', kind: 'role'}]
    evidence.sample.durationMs = 4_321
    const doc = report(evidence, {sampleRequestedMs: 10_000, sampleInterrupted: true})
    expect(doc.sample).toMatchObject({
      requestedMs: 10_000,
      durationMs: 4_321,
      interrupted: true,
      changes: [{address: ADDRESSES[3], what: 'role slave -> master', kind: 'role'}],
    })
    expect(doc.sample?.cluster).toMatchObject({opsPerSec: 120, topologyCallsPerSec: 3, movedPerSec: 0})
    expect(doc.sample?.nodes).toHaveLength(6)
    expect(doc.sample?.nodes[0]).toMatchObject({address: ADDRESSES[0], connectedClients: 21, opsPerSec: 40, topologyCallsPerSec: 1})
    expect(doc.sample?.nodes[5]).toMatchObject({address: ADDRESSES[5], connectedClients: null, opsPerSec: 0})
    expect(doc.sample?.nodes[0]).not.toHaveProperty('rates')
  })
})

describe('buildProbeReport: schemas/probe.schema.json', () => {
  it('a healthy cluster report is valid', () => {
    expect(schemaErrors('probe.schema.json', report(clusterEvidence()))).toBe('')
  })

  it('a report with an unreachable node, skipped checks, a sample and warnings is valid', () => {
    const evidence = withConfig(clusterEvidence(), 'timeout', 300)
    withNodes(
      evidence,
      (node) => {
        node.reachable = false
        node.error = 'connection refused'
        delete node.rttMs
        delete node.topologyCallMs
        delete node.clients
        delete node.slowlog
        node.stats = {}
      },
      [5],
    )
    withNodes(
      evidence,
      (node) => {
        node.skipped = [{check: 'config', command: 'CONFIG GET', reason: 'NOPERM'}]
      },
      [3],
    )
    evidence.sample = sample({opsPerSec: 90, newConnectionsPerSec: 12})
    const doc = report(evidence, {sampleRequestedMs: 10_000})
    expect(doc.findings.some((f) => f.severity === 'warning')).toBe(true)
    expect(schemaErrors('probe.schema.json', JSON.parse(JSON.stringify(doc)))).toBe('')
  })

  it('a standalone report is valid', () => {
    const node = clusterEvidence().nodes[0]
    node.address = '127.0.0.1:6379'
    delete node.slotOwners
    const evidence: ProbeEvidence = {mode: 'standalone', seed: '127.0.0.1:6379', nodes: [node]}
    expect(schemaErrors('probe.schema.json', report(evidence, {target: 'redis://127.0.0.1:6379'}))).toBe('')
  })

  it('the check is real: a report with a measured number turned into a string is rejected', () => {
    const doc = report(clusterEvidence()) as unknown as {nodes: Array<Record<string, unknown>>}
    doc.nodes[0].rttMs = '0.2'
    expect(schemaErrors('probe.schema.json', doc)).toMatch(/rttMs/)
  })
})
