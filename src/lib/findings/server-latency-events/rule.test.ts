import {describe, expect, it} from 'vitest'

import {ENTRY, THRESHOLDS} from './catalog.js'
import {serverLatencyEvents} from './rule.js'
import {healthyEvidence, withConfig, withNodes} from '../../../../test/helpers/evidence-builder.js'

describe('server-latency-events', () => {
  it('on a healthy cluster with the monitor off (Redis default) is only an info saying how to turn it on', () => {
    const f = serverLatencyEvents(healthyEvidence())!
    expect(f.severity).toBe('info')
    expect(f.title).toBe('Latency monitor is off on 6 node(s): server-side stalls go unrecorded')
    expect(f.evidence[0]).toContain('latency-monitor-threshold 0 on 6/6 reachable node(s)')
    expect(f.remedy).toContain('CONFIG SET latency-monitor-threshold 100')
    expect(f.metrics).toEqual({nodesMonitorOff: 6, reachableNodes: 6})
  })

  it('is silent when the monitor is on and recorded nothing, or the config is unreadable', () => {
    expect(serverLatencyEvents(withConfig(healthyEvidence(), 'latency-monitor-threshold', 100))).toBeUndefined()
    expect(serverLatencyEvents(withNodes(healthyEvidence(), (n) => delete n.config['latency-monitor-threshold']))).toBeUndefined()
    // unreachable nodes do not count
    expect(
      serverLatencyEvents(
        withNodes(
          withConfig(healthyEvidence(), 'latency-monitor-threshold', 100, [0, 1, 2, 3, 4]),
          (n) => {
            n.reachable = false
          },
          [5],
        ),
      ),
    ).toBeUndefined()
  })

  it('warns on any event below 100 ms, with names, durations, node and time', () => {
    const ev = withConfig(healthyEvidence(), 'latency-monitor-threshold', 10)
    ev.nodes[1].latencyLatest = [
      {event: 'command', timestamp: 1_700_000_000, latestMs: 50, maxMs: 60},
      {event: 'expire-cycle', timestamp: 1_700_000_100, latestMs: 12, maxMs: 12},
    ]
    const f = serverLatencyEvents(ev)!
    expect(f.severity).toBe('warning')
    expect(f.confidence).toBe(THRESHOLDS.warningConfidence)
    expect(f.title).toBe('Server latency spikes: command up to 60 ms on 127.0.0.1:7001 (2 events on 1 node(s))')
    const text = f.evidence.join('\n')
    expect(text).toContain('2 LATENCY LATEST event(s) on 1/6 reachable node(s): command, expire-cycle')
    expect(text).toContain('127.0.0.1:7001: command latest 50 ms, max 60 ms, last at 2023-11-14T22:13:20.000Z')
    expect(text).toContain('127.0.0.1:7001: latency-monitor-threshold 10 ms')
    expect(text).toContain('most recent spike: expire-cycle on 127.0.0.1:7001 at 2023-11-14T22:15:00.000Z')
    expect(f.nodes).toEqual(['127.0.0.1:7001'])
    expect(f.metrics).toEqual({events: 2, nodesWithEvents: 1, maxMs: 60, latestMs: 50, newestTimestamp: 1_700_000_100})
    expect(f.remedy).toContain('LATENCY HISTORY command')
    expect(f.remedy).toContain(ENTRY.remedy)
  })

  it('is critical when an event max reaches 100 ms, naming the worst node', () => {
    const ev = withConfig(healthyEvidence(), 'latency-monitor-threshold', 10)
    ev.nodes[0].latencyLatest = [{event: 'command', timestamp: 1_700_000_000, latestMs: 20, maxMs: 20}]
    ev.nodes[2].latencyLatest = [{event: 'fork', timestamp: 1_700_000_000, latestMs: 80, maxMs: 120}]
    const f = serverLatencyEvents(ev)!
    expect(f.severity).toBe('critical')
    expect(f.title).toContain('fork up to 120 ms on 127.0.0.1:7002')
    expect(f.nodes).toEqual(['127.0.0.1:7002', '127.0.0.1:7000'])
    expect(f.remedy).toContain('see fork-latency')
  })

  it('a spike older than 24 h is history: info, with its age; a recent one stays a warning', () => {
    const ev = withConfig(healthyEvidence(), 'latency-monitor-threshold', 10)
    const now = 1_700_000_000_000
    ev.takenAtMs = now
    ev.nodes[1].latencyLatest = [{event: 'fork', timestamp: now / 1000 - 3 * 24 * 3600, latestMs: 40, maxMs: 140}]
    const old = serverLatencyEvents(ev)!
    expect(old.severity).toBe('info')
    expect(old.title).toMatch(/^Old server latency spikes \(newest 72 h ago\)/)
    expect(old.evidence.join('\n')).toContain('72 h old')
    ev.nodes[1].latencyLatest = [{event: 'fork', timestamp: now / 1000 - 600, latestMs: 40, maxMs: 140}]
    expect(serverLatencyEvents(ev)!.severity).toBe('critical')
  })

  it('events win over the monitor-off info even when other nodes have the monitor off', () => {
    const ev = healthyEvidence()
    ev.nodes[0].config['latency-monitor-threshold'] = 10
    ev.nodes[0].latencyLatest = [{event: 'command', timestamp: 1, latestMs: 15, maxMs: 15}]
    expect(serverLatencyEvents(ev)!.severity).toBe('warning')
  })

  it('documents its thresholds', () => {
    const d = ENTRY.detection
    expect(d).toContain(`>= ${THRESHOLDS.criticalMs} ms`)
    expect(d).toContain(`CONFIG SET latency-monitor-threshold ${THRESHOLDS.suggestedMonitorMs}`)
  })
})
