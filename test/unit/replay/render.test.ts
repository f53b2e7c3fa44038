import {describe, expect, it} from 'vitest'

import {resolveReplaySettings} from '../../../src/lib/replay/options.js'
import {renderReplay} from '../../../src/lib/replay/render.js'
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
