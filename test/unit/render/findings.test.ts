/**
 * headline and renderFindings: the sentence a paged engineer reads first, and the ranked list.
 * Findings are written by hand, or produced by the real rules on the evidence builders.
 */
import {describe, expect, it} from 'vitest'

import {diagnose} from '../../../src/lib/findings/engine.js'
import {compareFindings} from '../../../src/lib/findings/severity.js'
import type {Finding} from '../../../src/lib/findings/types.js'
import {headline, renderFindings} from '../../../src/lib/render/findings.js'
import {healthyEvidence, withConfig} from '../../helpers/evidence-builder.js'

const NOTHING = 'Nothing server-side explains intermittent latency: no warning or critical finding.'

function finding(id: string, severity: Finding['severity'], confidence: number, over: Partial<Finding> = {}): Finding {
  return {
    id,
    severity,
    confidence,
    title: `title of ${id}`,
    evidence: [`fact one of ${id}`, `fact two of ${id}`],
    remedy: `remedy of ${id}`,
    ...over,
  }
}

const CRITICAL = finding('topology-refresh-storm', 'critical', 0.9, {title: 'Clients re-read the cluster slot map 30.6 times/s'})
const WARNING = finding('idle-timeout-reconnect', 'warning', 0.6, {title: 'Server timeout 300 s closes pooled connections'})
const INFO = finding('server-latency-events', 'info', 0.2, {title: 'Latency monitor is off on 6 node(s)'})

describe('headline', () => {
  it('names the first warning or critical finding with its id', () => {
    expect(headline([CRITICAL, WARNING, INFO])).toBe(
      'Most likely cause: Clients re-read the cluster slot map 30.6 times/s [topology-refresh-storm]',
    )
    expect(headline([WARNING, INFO])).toBe('Most likely cause: Server timeout 300 s closes pooled connections [idle-timeout-reconnect]')
  })

  it('never names an info finding, even when it comes first', () => {
    expect(headline([INFO, WARNING])).toBe('Most likely cause: Server timeout 300 s closes pooled connections [idle-timeout-reconnect]')
  })

  it('says plainly that nothing server-side explains it, and what to do next, when there is no warning or critical', () => {
    for (const findings of [[], [INFO]]) {
      const text = headline(findings)
      expect(text.startsWith(NOTHING)).toBe(true)
      expect(text).toContain('`rcdiag replay`')
      expect(text).not.toContain('Most likely cause')
    }
  })

  it('on real rules: a server timeout is the most likely cause; a healthy cluster has none', () => {
    expect(headline(diagnose(withConfig(healthyEvidence(), 'timeout', 5)))).toBe(
      'Most likely cause: Server timeout 5 s closes pooled connections idle longer than that; the next command pays a reconnect [idle-timeout-reconnect]',
    )
    expect(headline(diagnose(healthyEvidence())).startsWith(NOTHING)).toBe(true)
  })
})

describe('renderFindings', () => {
  it('says "none" when there is nothing', () => {
    expect(renderFindings([])).toBe('Findings: none.')
  })

  it('numbers the findings in the order given, with the severity label, id, confidence (2 decimals), evidence and fix', () => {
    const text = renderFindings([CRITICAL, WARNING, INFO])
    const blocks = text.split('\n\n')
    expect(blocks[0]).toBe('Findings (most likely first):')
    expect(blocks.slice(1)).toEqual([
      [
        '1. [CRITICAL] Clients re-read the cluster slot map 30.6 times/s',
        '   id: topology-refresh-storm   confidence: 0.90',
        '   - fact one of topology-refresh-storm',
        '   - fact two of topology-refresh-storm',
        '   Fix: remedy of topology-refresh-storm',
      ].join('\n'),
      [
        '2. [WARNING] Server timeout 300 s closes pooled connections',
        '   id: idle-timeout-reconnect   confidence: 0.60',
        '   - fact one of idle-timeout-reconnect',
        '   - fact two of idle-timeout-reconnect',
        '   Fix: remedy of idle-timeout-reconnect',
      ].join('\n'),
      [
        '3. [info] Latency monitor is off on 6 node(s)',
        '   id: server-latency-events   confidence: 0.20',
        '   - fact one of server-latency-events',
        '   - fact two of server-latency-events',
        '   Fix: remedy of server-latency-events',
      ].join('\n'),
    ])
  })

  it('a finding without evidence lines goes straight to its fix; confidence 1 prints as 1.00', () => {
    const text = renderFindings([finding('cluster-state-fail', 'critical', 1, {evidence: []})])
    expect(text.split('\n').slice(2)).toEqual([
      '1. [CRITICAL] title of cluster-state-fail',
      '   id: cluster-state-fail   confidence: 1.00',
      '   Fix: remedy of cluster-state-fail',
    ])
  })

  it('ranked by severity then confidence (as the engine sorts), the list and the headline agree', () => {
    const ranked = [INFO, finding('tcp-keepalive-off', 'warning', 0.4), WARNING, CRITICAL].sort(compareFindings)
    const text = renderFindings(ranked)
    const titles = [...text.matchAll(/^\d+\. \[(\w+)\] (.*)$/gm)].map((m) => `${m[1]} ${m[2]}`)
    expect(titles).toEqual([
      'CRITICAL Clients re-read the cluster slot map 30.6 times/s',
      'WARNING Server timeout 300 s closes pooled connections',
      'WARNING title of tcp-keepalive-off',
      'info Latency monitor is off on 6 node(s)',
    ])
    expect(headline(ranked)).toContain('[topology-refresh-storm]')
  })
})
