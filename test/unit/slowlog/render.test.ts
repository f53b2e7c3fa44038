import {describe, expect, it} from 'vitest'

import {buildSlowlogReport} from '../../../src/lib/slowlog/report.js'
import {commandLine, formatUs, renderFollowLine, renderSlowlog} from '../../../src/lib/slowlog/render.js'
import {parseSlowlogTimeline as toTimeline} from '../../../src/lib/parse/slowlog.js'
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

function report() {
  const hostile = toTimeline(
    [
      [
        4,
        1700000100,
        25_000,
        [Buffer.from('set'), Buffer.concat([Buffer.from('evil:\x1b[31m\n'), Buffer.from([0xff, 0xfe])]), Buffer.from('v')],
        Buffer.from('10.0.0.1:1'),
        Buffer.from('app'),
      ],
    ],
    A,
  )
  const entries = [...hostile, entry({node: A, id: 3, timestamp: 1700000050, durationUs: 1_500, args: ['hmget', 'user:1', 'name']})]
  return buildSlowlogReport({
    target: 'redis://127.0.0.1:7000',
    mode: 'cluster',
    outcomes: [
      {node: node(A), log: {address: A, entries, length: 2}},
      {node: node(B), error: 'connection refused'},
      {
        node: {...node('127.0.0.1:7002'), role: 'replica'},
        log: {address: '127.0.0.1:7002', entries: [], length: null, refused: 'NOPERM no slowlog for you'},
      },
    ],
    entries,
    filters: {count: null, sinceMs: null, minDurationUs: null},
    ownEntriesExcluded: 1,
    replicationEntriesExcluded: 0,
    groupBy: 'pattern',
    nowMs: 1700000200_000,
  })
}

describe('renderSlowlog', () => {
  const text = renderSlowlog(report())

  it('shows groups, recent entries and the histogram', () => {
    expect(text).toContain(
      "rcdiag slowlog redis://127.0.0.1:7000: 2/3 nodes answered, 2 entries read, 2 shown, 1 of rcdiag's own left out, grouped by pattern",
    )
    expect(text).toContain('Top offenders by total time')
    expect(text).toContain('HMGET user:{n} name')
    expect(text).toContain('Most recent entries')
    expect(text).toContain('Durations')
    expect(text).toContain('10-100ms')
  })

  it('marks unreachable and skipped nodes', () => {
    expect(text).toContain(`${B} (master): UNREACHABLE: connection refused`)
    expect(text).toContain('127.0.0.1:7002 (replica): skipped, SLOWLOG GET refused: NOPERM no slowlog for you')
  })

  it('prints hostile keys escaped, never raw control bytes', () => {
    expect(text).toContain('evil:\\x1b[31m\\n\\xff\\xfe')
    expect(text).not.toMatch(/(?!\n)\p{Cc}/u) // no control character (Cc) but the table's own newlines
  })

  it('says when nothing matched', () => {
    const empty = {...report(), entries: [], groups: []}
    expect(renderSlowlog(empty)).toContain('No SLOWLOG entries match.')
  })
})

describe('small renderers', () => {
  it('formats durations', () => {
    expect(formatUs(850)).toBe('850 µs')
    expect(formatUs(1_500)).toBe('1.50 ms')
    expect(formatUs(25_000)).toBe('25.0 ms')
    expect(formatUs(2_500_000)).toBe('2.50 s')
  })

  it('cuts a long command without leaving half an escape', () => {
    expect(commandLine(['get', 'abc'], 10)).toBe('get abc')
    expect(commandLine(['get', 'abcdef\\x1b'], 9)).toBe('get abcde…')
    expect(commandLine(['get', 'abcd\\x1b'], 10)).toBe('get abcd…')
  })

  it('renders a follow line', () => {
    const line = renderFollowLine(
      entry({node: A, timestamp: 1700000000, durationUs: 20_000, args: ['get', 'k\\n'], clientName: 'api', clientAddr: '1.2.3.4:5'}),
    )
    expect(line).toBe('2023-11-14 22:13:20Z  127.0.0.1:7000    20.0 ms  api 1.2.3.4:5  get k\\n')
  })
})
