import {describe, expect, it} from 'vitest'

import type {ProbeEvidence} from '../evidence/types.js'
import type {Finding} from './types.js'
import {diagnose} from './engine.js'
import {FINDING_IDS, FINDINGS, findingById} from './registry.js'
import {compareFindings} from './severity.js'
import {THRESHOLDS as clientSideLatency} from './client-side-latency/catalog.js'
import {THRESHOLDS as connectionChurn} from './connection-churn/catalog.js'
import {THRESHOLDS as idleTimeoutReconnect} from './idle-timeout-reconnect/catalog.js'
import {THRESHOLDS as slowCommands} from './slow-commands/catalog.js'
import {THRESHOLDS as topologyRefreshStorm} from './topology-refresh-storm/catalog.js'
import {
  ADDRESSES,
  healthyEvidence,
  quietSample,
  rates,
  replayEvidence,
  replayRun,
  sample,
  withConfig,
  withNodes,
} from '../../../test/helpers/evidence-builder.js'

/** The registered finding with this id (the test fails loudly on an unknown one). */
function entry(id: string) {
  const finding = findingById(id)
  if (!finding) throw new Error(`no finding ${id}`)
  return finding
}

describe('catalog', () => {
  it('has all 21 ids, unique, with every field filled', () => {
    expect(FINDINGS.map((e) => e.id)).toEqual([...FINDING_IDS])
    expect(new Set(FINDING_IDS).size).toBe(21)
    for (const e of FINDINGS) {
      expect(e.id).toMatch(/^[a-z]+(-[a-z]+)*$/)
      expect(e.title).not.toContain('\n')
      expect(e.severities.length).toBeGreaterThan(0)
      expect(e.meaning.length).toBeGreaterThan(50)
      expect(e.detection.length).toBeGreaterThan(50)
      expect(e.remedy.length).toBeGreaterThan(50)
    }
  })

  it('findingById knows every id and nothing else', () => {
    expect(entry('slow-commands').id).toBe('slow-commands')
    expect(findingById('nope')).toBeUndefined()
  })

  it('documents the thresholds the rules use', () => {
    expect(entry('topology-refresh-storm').detection).toContain(`>= ${topologyRefreshStorm.criticalPerSec}/s`)
    expect(entry('connection-churn').detection).toContain(`>= ${connectionChurn.minPerSec}/s`)
    expect(entry('slow-commands').detection).toContain(`>= ${slowCommands.warningMs} ms`)
    const idle = entry('idle-timeout-reconnect').detection
    expect(idle).toContain(`>= ${idleTimeoutReconnect.replaySpikeRatio} x its steady p99`)
    expect(idle).toContain(`confidence to ${idleTimeoutReconnect.replayConfirmedConfidence}`)
    const storm = entry('topology-refresh-storm').detection
    expect(storm).toContain(`refreshes per gap are > ${topologyRefreshStorm.replayRefreshesPerGap}`)
    expect(storm).toContain(`is >= ${topologyRefreshStorm.replayCriticalStampede}`)
    const client = entry('client-side-latency').detection
    expect(client).toContain(`>= ${clientSideLatency.ratioToServer} x the server-side HMGET time`)
    expect(client).toContain(`>= ${clientSideLatency.minGapMs} ms above it`)
    expect(client).toContain(`SLOWLOG entry >= ${clientSideLatency.serverSlowlogMs} ms`)
  })

  it('knows every rule id, and every catalog id has a rule', () => {
    for (const {id, rule} of FINDINGS) expect([id, typeof rule]).toEqual([id, 'function'])
    expect(new Set(FINDINGS.map((r) => r.id)).size).toBe(FINDINGS.length)
    expect(FINDINGS.map((r) => r.id).sort()).toEqual([...FINDING_IDS].sort())
    expect(FINDINGS).toHaveLength(21)
  })

  it('findings of the new rules take only severities their catalog entries list', () => {
    const MB = 1024 ** 2
    const provoked: ProbeEvidence[] = [
      // everything at once, warning level
      (() => {
        const ev = withConfig(withConfig(healthyEvidence(), 'latency-monitor-threshold', 10), 'maxmemory', 52 * MB)
        withNodes(ev, (n, i) => {
          n.latencyLatest = [{event: 'command', timestamp: 1, latestMs: 20, maxMs: 20}]
          n.stats.latestForkUsec = 200_000
          n.stats.rejectedConnections = 3
          n.stats.evictedKeys = 10
          n.rttMs = i === 1 ? 9 : 0.2
          n.currentEpoch = i
          if (i === 4) n.stats.masterLinkUp = 0
        })
        ev.sample = sample(
          {},
          ADDRESSES.map((address, i) => ({address, rates: rates({opsPerSec: i === 0 ? 5000 : 10}), connectedClients: 21})),
        )
        return ev
      })(),
      // critical level
      (() => {
        const ev = withConfig(healthyEvidence(), 'latency-monitor-threshold', 10)
        withNodes(ev, (n) => {
          n.latencyLatest = [{event: 'fork', timestamp: 1, latestMs: 900, maxMs: 900}]
          n.stats.latestForkUsec = 900_000
          n.stats.connectedClients = 9900
        })
        ev.sample = sample(
          {},
          ADDRESSES.map((address) => ({address, rates: rates({rejectedConnectionsPerSec: 2}), connectedClients: 21})),
        )
        return ev
      })(),
      // info level
      withNodes(healthyEvidence(), (n) => {
        n.stats.latestForkUsec = 300
        n.rttMs = 70
        if (n.role === 'master') n.stats.promotedSinceStart = 1
      }),
    ]
    const seen = new Set<string>()
    for (const ev of provoked) {
      for (const f of diagnose(ev)) {
        expect(entry(f.id).severities, f.id).toContain(f.severity)
        seen.add(`${f.id}:${f.severity}`)
      }
    }
    for (const expected of [
      'server-latency-events:info',
      'server-latency-events:warning',
      'server-latency-events:critical',
      'fork-latency:info',
      'fork-latency:warning',
      'fork-latency:critical',
      'recent-failover:info',
      'recent-failover:warning',
      'node-imbalance:warning',
      'client-limit:warning',
      'client-limit:critical',
      'memory-pressure:warning',
      'network-rtt:info',
      'network-rtt:warning',
    ])
      expect(seen).toContain(expected)
  })
})

describe('diagnose', () => {
  it('finds nothing wrong on a healthy cluster, with or without a quiet sample', () => {
    const serious = (ev: ProbeEvidence) => diagnose(ev).filter((f) => f.severity !== 'info')
    expect(serious(healthyEvidence())).toEqual([])
    expect(serious({...healthyEvidence(), sample: quietSample()})).toEqual([])
    // The only finding on Redis defaults: the latency monitor is off (info, how to turn it on).
    expect(diagnose(healthyEvidence()).map((f) => [f.id, f.severity])).toEqual([['server-latency-events', 'info']])
    expect(diagnose(withConfig(healthyEvidence(), 'latency-monitor-threshold', 100))).toEqual([])
  })

  it('every rule stays silent or informative on healthy evidence, one by one', () => {
    const variants: ProbeEvidence[] = [healthyEvidence(), {...healthyEvidence(), sample: quietSample()}]
    for (const {id, rule} of FINDINGS) {
      for (const ev of variants) {
        const f = rule(ev)
        if (f) expect([id, f.severity]).toEqual([id, 'info'])
      }
    }
  })

  it('reproduces the incident: idle timeout + refresh storm, ranked', () => {
    const ev = withConfig(healthyEvidence(), 'timeout', 300)
    ev.sample = sample({newConnectionsPerSec: 12, topologyCallsPerSec: 12, configGetPerSec: 12, movedPerSec: 0.2, opsPerSec: 50})
    withNodes(
      ev,
      (n) => {
        n.slowlog = {
          length: 1,
          internalEntries: 0,
          topPatterns: [],
          read: 1,
          maxDurationUs: 2_000,
          topCommands: [{command: 'info', count: 1, totalUs: 2_000, maxUs: 2_000}],
        }
      },
      [0],
    )
    const findings = diagnose(ev)
    expect(findings.map((f) => [f.id, f.severity])).toEqual([
      ['topology-refresh-storm', 'warning'],
      ['idle-timeout-reconnect', 'warning'],
      ['slow-commands', 'info'],
      ['server-latency-events', 'info'],
    ])
    for (const f of findings) {
      expect(f.remedy).toContain(entry(f.id).remedy)
      expect(entry(f.id).severities).toContain(f.severity)
    }
  })

  it('reproduces the incident from a replay: stampede critical, idle timeout confirmed, no client-side latency', () => {
    const findings = diagnose({...withConfig(healthyEvidence(), 'timeout', 300), replay: replayEvidence()})
    expect(findings.map((f) => [f.id, f.severity, f.confidence])).toEqual([
      ['topology-refresh-storm', 'critical', 0.95],
      ['idle-timeout-reconnect', 'warning', 0.95],
      ['server-latency-events', 'info', 0.2],
    ])
    for (const f of findings) expect(entry(f.id).severities).toContain(f.severity)
  })

  it('finds nothing on timeout 0 with a flat replay', () => {
    const flat = replayEvidence({
      runs: [replayRun('ioredis'), replayRun('refresh-on-error'), replayRun('single-flight', {refreshesPerGap: 0.33, stampedeFactor: 1})],
    })
    expect(diagnose({...withConfig(healthyEvidence(), 'latency-monitor-threshold', 100), replay: flat})).toEqual([])
  })

  it('sorts by severity, then confidence descending', () => {
    const f = (id: string, severity: Finding['severity'], confidence: number): Finding => ({
      id,
      severity,
      confidence,
      title: id,
      evidence: [],
      remedy: '',
    })
    const rules = [
      {id: 'a', rule: () => f('a', 'info', 0.9)},
      {id: 'b', rule: () => f('b', 'warning', 0.5)},
      {id: 'c', rule: () => f('c', 'critical', 0.4)},
      {id: 'd', rule: () => f('d', 'warning', 0.8)},
      {id: 'e', rule: () => undefined},
      {id: 'f', rule: () => f('f', 'critical', 0.9)},
    ]
    expect(diagnose(healthyEvidence(), rules).map((x) => x.id)).toEqual(['f', 'c', 'd', 'b', 'a'])
    expect(compareFindings(f('x', 'info', 1), f('y', 'warning', 0))).toBeGreaterThan(0)
  })

  it('turns a throwing rule into an info finding and keeps going', () => {
    const rules = [
      {
        id: 'slow-commands',
        rule: () => {
          throw new Error('boom\nstack')
        },
      },
      ...FINDINGS.filter((r) => r.id === 'idle-timeout-reconnect'),
    ]
    const findings = diagnose(withConfig(healthyEvidence(), 'timeout', 60), rules)
    expect(findings.map((x) => [x.id, x.severity, x.confidence])).toEqual([
      ['idle-timeout-reconnect', 'warning', 0.6],
      ['slow-commands', 'info', 0],
    ])
    expect(findings[1].title).toBe('Rule slow-commands could not be evaluated: boom')
  })

  it('clamps confidence to 0..1', () => {
    const rules = [{id: 'x', rule: () => ({id: 'x', severity: 'info' as const, confidence: 7, title: 'x', evidence: [], remedy: ''})}]
    expect(diagnose(healthyEvidence(), rules)[0].confidence).toBe(1)
  })
})
