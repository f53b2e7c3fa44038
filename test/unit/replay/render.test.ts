import {describe, expect, it} from 'vitest'

import {estimateReplayMs, resolveReplaySettings} from '../../../src/lib/replay/options.js'
import {renderPlan, renderReplay} from '../../../src/lib/replay/render.js'
import {buildReplayReport, type ReplayReport} from '../../../src/lib/replay/report.js'

describe('the keys line of the human report', () => {
  const report = (keys: ReplayReport['keys']) =>
    buildReplayReport({
      target: 'redis://127.0.0.1:7000',
      durationMs: 1,
      interrupted: false,
      durationReached: false,
      settings: resolveReplaySettings({}),
      cluster: {masters: 3, replicas: 3, serverTimeoutSec: 5, tcpKeepaliveSec: 300},
      natMap: [],
      servers: [{vendor: 'redis', version: '6.0.20', nodes: 6}],
      skipped: [
        {
          check: 'latencystats',
          command: 'INFO latencystats',
          reason: 'Redis 6.0.20 keeps no latency percentiles per command',
          kind: 'unsupported',
          nodes: ['127.0.0.1:7000'],
        },
      ],
      keys,
      runs: [],
      findings: [],
    })

  it('names the run prefix and id, and says when removal could not be confirmed', () => {
    const base = {mode: 'created' as const, runId: '1a2b3c4d', prefix: 'rcdiag:replay:1a2b3c4d:', count: 1000, fields: 5, removed: true}
    expect(renderReplay(report({...base, remaining: 0}))).toMatch(
      /Keys: 1000 hashes under rcdiag:replay:1a2b3c4d: \(run 1a2b3c4d\) created with a \d+ s TTL and removed; 0 remain\./,
    )
    expect(
      renderReplay(
        report({
          ...base,
          remaining: null,
          cleanupError: '12 of 1000 keys could not be removed or checked (127.0.0.1:7001: connection refused); they expire with their TTL',
        }),
      ),
    ).toMatch(/removal not confirmed: 12 of 1000 keys could not be removed/)
    expect(renderReplay(report({mode: 'created', count: 0, fields: 5, removed: false, remaining: 0}))).toMatch(/Keys: none created/)
  })
})

describe('the servers and what they could not tell', () => {
  it('names the server in the summary and lists what was not measured', () => {
    const report = buildReplayReport({
      target: 'redis://127.0.0.1:7000',
      durationMs: 1,
      interrupted: false,
      durationReached: false,
      settings: resolveReplaySettings({}),
      cluster: {masters: 3, replicas: 3, serverTimeoutSec: 5, tcpKeepaliveSec: 300},
      natMap: [],
      servers: [{vendor: 'redis', version: '6.0.20', nodes: 6}],
      skipped: [
        {
          check: 'latencystats',
          command: 'INFO latencystats',
          reason: 'Redis 6.0.20 keeps no latency percentiles per command (Redis 7.0+): server-side p99 unknown, only the mean',
          kind: 'unsupported',
          nodes: ['127.0.0.1:7000', '127.0.0.1:7001'],
        },
      ],
      keys: {mode: 'sampled', count: 10, fields: 5, removed: false, remaining: 0},
      runs: [],
      findings: [],
    })
    const text = renderReplay(report)
    expect(text.split('\n')[0]).toMatch(/^rcdiag replay redis:\/\/127\.0\.0\.1:7000: Redis 6\.0\.20, 3 masters,/)
    expect(text).toContain('- latencystats not measured on 2 node(s): Redis 6.0.20 keeps no latency percentiles per command')
  })
})

describe('replay: the plan, and which model shows the stampede', () => {
  it('the plan says the models, the cycles and about how long', () => {
    const settings = resolveReplaySettings({})
    expect(renderPlan(settings, estimateReplayMs(settings))).toBe(
      'rcdiag: plan: 1 model (ioredis), each a warm-up then 3 cycles of a 350 s idle gap and bursts: about 18 min; Ctrl-C stops early with a partial report',
    )
    const short = resolveReplaySettings({clients: ['all'], idleMs: 2000, cycles: 1, durationMs: 20_000})
    expect(renderPlan(short, estimateReplayMs(short))).toMatch(
      /^rcdiag: plan: 3 models \(ioredis, refresh-on-error, single-flight\), .* about \d+ s \(--duration caps it\)/,
    )
    expect(estimateReplayMs(short)).toBeLessThanOrEqual(20_000)
  })
})

describe('replay: a run without the incident model says which model would show the stampede', () => {
  const base = (clients: string[]) =>
    buildReplayReport({
      target: 'redis://127.0.0.1:7000',
      durationMs: 1,
      interrupted: false,
      durationReached: false,
      settings: resolveReplaySettings({clients}),
      cluster: {masters: 3, replicas: 3, serverTimeoutSec: 5, tcpKeepaliveSec: 300},
      natMap: [],
      servers: [],
      skipped: [],
      keys: {mode: 'created', count: 0, fields: 5, removed: false, remaining: 0},
      runs: [],
      findings: [],
    })

  it('names --client refresh-on-error --client single-flight when only ioredis ran, and nothing when it ran', () => {
    expect(renderReplay(base(['ioredis']))).toContain('`--client refresh-on-error --client single-flight` replays that client and the fix')
    expect(renderReplay(base(['refresh-on-error', 'single-flight']))).not.toContain('replays that client and the fix')
  })
})
