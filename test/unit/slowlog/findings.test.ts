import {describe, expect, it} from 'vitest'

import {slowlogEvidence, slowlogFindings, type SlowlogFindingsInput} from '../../../src/lib/slowlog/findings.js'
import {renderSlowlog} from '../../../src/lib/slowlog/render.js'
import {buildSlowlogReport} from '../../../src/lib/slowlog/report.js'
import {entry} from './entries.js'

const A = '127.0.0.1:7000'
const B = '127.0.0.1:7001'
const node = (address: string) => ({
  address,
  host: '127.0.0.1',
  port: Number(address.split(':')[1]),
  role: 'master' as const,
  failed: false,
  slots: [],
})
const NO_FILTERS = {count: null, sinceMs: null, minDurationUs: null}

function input(overrides: Partial<SlowlogFindingsInput> = {}): SlowlogFindingsInput {
  const slow = entry({node: A, id: 2, timestamp: 1_700_000_100, durationUs: 50_000, args: ['debug', 'sleep', '0.05'], clientName: 'app'})
  const own = entry({node: A, id: 1, timestamp: 1_700_000_050, durationUs: 12_000, args: ['slowlog', 'get', '-1'], clientName: 'rcdiag'})
  const quick = entry({node: B, id: 7, timestamp: 1_700_000_090, durationUs: 2_000, args: ['hmget', 'user:1', 'name']})
  return {
    mode: 'cluster',
    seed: A,
    outcomes: [
      {node: node(A), log: {address: A, entries: [slow, own], length: 2}},
      {node: node(B), log: {address: B, entries: [quick], length: 1}},
      {node: node('127.0.0.1:7002'), error: 'connection refused'},
      {node: node('127.0.0.1:7003'), log: {address: '127.0.0.1:7003', entries: [], length: null, refused: 'NOPERM'}},
    ],
    entries: [slow, quick],
    filters: NO_FILTERS,
    ...overrides,
  }
}

describe('slowlogFindings', () => {
  it('runs only slow-commands: a 50 ms entry is a warning naming the command and node', () => {
    const findings = slowlogFindings(input())
    expect(findings.map((f) => f.id)).toEqual(['slow-commands'])
    expect(findings[0]).toMatchObject({severity: 'warning', nodes: [A, B]})
    expect(findings[0].title).toContain('DEBUG SLEEP')
    expect(findings[0].metrics).toMatchObject({slowlogEntries: 2, maxDurationMs: 50})
  })

  it('no entries, no finding; an unreachable or refusing node alone fires nothing', () => {
    const empty = input({outcomes: input().outcomes.slice(2), entries: []})
    expect(slowlogFindings(empty)).toEqual([])
  })

  it("takes rcdiag's own entries off SLOWLOG LEN", () => {
    const [a, b, down, refused] = slowlogEvidence(input()).nodes
    expect(a.slowlog).toMatchObject({length: 1, internalEntries: 1, read: 1, maxDurationUs: 50_000})
    expect(b.slowlog).toMatchObject({length: 1, maxDurationUs: 2_000})
    expect(down).toMatchObject({reachable: false, error: 'connection refused'})
    expect(down.slowlog).toBeUndefined()
    expect(refused).toMatchObject({reachable: true, skipped: [{check: 'slowlog', command: 'SLOWLOG GET', reason: 'NOPERM'}]})
    expect(refused.slowlog).toBeUndefined()
  })

  it('honours --since and --min-duration: only the matching entries count, not SLOWLOG LEN', () => {
    const matched = input().entries.filter((e) => e.durationUs >= 5_000)
    const findings = slowlogFindings(input({entries: matched, filters: {...NO_FILTERS, minDurationUs: 5_000}}))
    expect(findings[0].nodes).toEqual([A])
    expect(findings[0].metrics).toMatchObject({slowlogEntries: 1})

    const none = slowlogFindings(input({entries: [], filters: {...NO_FILTERS, sinceMs: 60_000}}))
    expect(none).toEqual([])
  })

  it('a few short entries are info', () => {
    const quick = input().outcomes[1]
    const findings = slowlogFindings(input({outcomes: [quick], entries: input().entries.slice(1)}))
    expect(findings[0]).toMatchObject({id: 'slow-commands', severity: 'info'})
  })
})

describe('findings in the slowlog report', () => {
  const report = (findingsInput: SlowlogFindingsInput) =>
    buildSlowlogReport({
      target: `redis://${A}`,
      mode: 'cluster',
      outcomes: findingsInput.outcomes,
      entries: findingsInput.entries,
      filters: findingsInput.filters,
      ownEntriesExcluded: 1,
      replicationEntriesExcluded: 0,
      groupBy: 'pattern',
      nowMs: 1_700_000_200_000,
      findings: slowlogFindings(findingsInput),
    })

  it('the human report leads with the headline and ends with the findings', () => {
    const text = renderSlowlog(report(input()))
    const lines = text.split('\n')
    expect(lines[2]).toMatch(/^Most likely cause: Slow commands: DEBUG SLEEP .*\[slow-commands\]$/)
    expect(text).toContain('Findings (most likely first):')
    expect(text.indexOf('Findings (most likely first):')).toBeGreaterThan(text.indexOf('Durations'))
  })

  it('without findings it says only SLOWLOG was looked at, not that all is well', () => {
    const text = renderSlowlog(report(input({outcomes: [], entries: []})))
    expect(text).toContain('Findings: none from SLOWLOG.')
    expect(text).not.toContain('Most likely cause')
    expect(text).not.toContain('Nothing server-side explains')
  })

  it('a report built without findings carries an empty list', () => {
    const {findings: _findings, ...withoutFindings} = {...input(), findings: undefined}
    const built = buildSlowlogReport({
      ...withoutFindings,
      target: A,
      ownEntriesExcluded: 0,
      replicationEntriesExcluded: 0,
      groupBy: 'node',
      nowMs: 0,
    })
    expect(built.findings).toEqual([])
  })
})
