import {describe, expect, it} from 'vitest'

import {slowCommands} from './rule.js'
import {healthyEvidence, withNodes} from '../../../../test/helpers/evidence-builder.js'

describe('slow-commands', () => {
  it('is silent with empty slowlogs or none read', () => {
    expect(slowCommands(healthyEvidence())).toBeUndefined()
    expect(slowCommands(withNodes(healthyEvidence(), (n) => delete n.slowlog))).toBeUndefined()
  })

  it('warns on entries >= 10 ms, naming the top command and node', () => {
    const ev = withNodes(
      healthyEvidence(),
      (node, i) => {
        node.slowlog =
          i === 1
            ? {
                length: 7,
                internalEntries: 0,
                topPatterns: [
                  {pattern: 'HGETALL user:{n}:events', count: 4, totalUs: 380_000, maxUs: 250_000},
                  {pattern: 'KEYS session:*', count: 2, totalUs: 30_000, maxUs: 20_000},
                  {pattern: 'HGETALL cart:{n}', count: 1, totalUs: 20_000, maxUs: 20_000},
                ],
                read: 7,
                maxDurationUs: 250_000,
                newestTimestamp: 1_700_000_000,
                topCommands: [
                  {command: 'hgetall', count: 5, totalUs: 400_000, maxUs: 250_000},
                  {command: 'keys', count: 2, totalUs: 30_000, maxUs: 20_000},
                ],
              }
            : {
                length: 1,
                internalEntries: 0,
                topPatterns: [{pattern: 'KEYS session:*', count: 1, totalUs: 12_000, maxUs: 12_000}],
                read: 1,
                maxDurationUs: 12_000,
                topCommands: [{command: 'keys', count: 1, totalUs: 12_000, maxUs: 12_000}],
              }
      },
      [1, 2],
    )
    const f = slowCommands(ev)!
    expect(f.severity).toBe('warning')
    expect(f.confidence).toBe(0.85)
    expect(f.title).toBe('Slow commands: HGETALL user:{n}:events tops SLOWLOG (4 entries, max 250 ms) on 127.0.0.1:7001')
    const text = f.evidence.join('\n')
    expect(text).toContain('8 SLOWLOG entries on 2 node(s) (8 read), slowest 250 ms')
    expect(text).toContain('HGETALL: 5 entries, total 400 ms, max 250 ms')
    expect(text).toContain('KEYS: 3 entries, total 42 ms, max 20 ms')
    expect(text).toContain('127.0.0.1:7001: SLOWLOG LEN 7, max 250 ms (slowlog-log-slower-than 10000 us)')
    expect(text).toContain('2023-11-14T22:13:20.000Z')
    expect(text).toContain('pattern HGETALL user:{n}:events: 4 entries, total 380 ms, max 250 ms, most on 127.0.0.1:7001')
    expect(text).toContain('pattern KEYS session:*: 3 entries, total 42 ms, max 20 ms, most on 127.0.0.1:7001')
    expect(text).toContain('pattern HGETALL cart:{n}: 1 entries, total 20 ms, max 20 ms')
    expect(f.remedy).toContain('Here: start with HGETALL user:{n}:events on 127.0.0.1:7001.')
    expect(f.nodes).toEqual(['127.0.0.1:7001', '127.0.0.1:7002'])
    expect(f.metrics).toMatchObject({
      slowlogEntries: 8,
      maxDurationMs: 250,
      nodesWithEntries: 2,
      topCommandCount: 5,
      topCommandMaxMs: 250,
      topPatternCount: 4,
      topPatternMaxMs: 250,
      topPatternTotalMs: 380,
    })
  })

  it('is info for a few entries below 10 ms', () => {
    const ev = withNodes(
      healthyEvidence(),
      (node) => {
        node.slowlog = {
          length: 2,
          internalEntries: 0,
          topPatterns: [],
          read: 2,
          maxDurationUs: 3_500,
          topCommands: [{command: 'hmget', count: 2, totalUs: 6_000, maxUs: 3_500}],
        }
      },
      [0],
    )
    const f = slowCommands(ev)!
    expect(f.severity).toBe('info')
    expect(f.title).toBe('Slow commands: HMGET tops SLOWLOG (2 entries, max 3.5 ms) on 127.0.0.1:7000')
  })

  it('names the node where the top pattern spent most time, not the node with the slowest entry', () => {
    const ev = withNodes(
      healthyEvidence(),
      (node, i) => {
        node.slowlog =
          i === 0
            ? {
                length: 1,
                internalEntries: 0,
                read: 1,
                maxDurationUs: 90_000,
                topCommands: [{command: 'del', count: 1, totalUs: 90_000, maxUs: 90_000}],
                topPatterns: [{pattern: 'DEL big:{n}', count: 1, totalUs: 90_000, maxUs: 90_000}],
              }
            : {
                length: 30,
                internalEntries: 0,
                read: 30,
                maxDurationUs: 15_000,
                topCommands: [{command: 'hgetall', count: 30, totalUs: 300_000, maxUs: 15_000}],
                topPatterns: [{pattern: 'HGETALL feed:{n}', count: 30, totalUs: 300_000, maxUs: 15_000}],
              }
      },
      [0, 2],
    )
    const f = slowCommands(ev)!
    expect(f.title).toBe('Slow commands: HGETALL feed:{n} tops SLOWLOG (30 entries, max 15 ms) on 127.0.0.1:7002')
    expect(f.nodes).toEqual(['127.0.0.1:7000', '127.0.0.1:7002'])
  })

  it('is a warning for many short entries', () => {
    const ev = withNodes(
      healthyEvidence(),
      (node) => {
        node.slowlog = {
          length: 40,
          internalEntries: 0,
          topPatterns: [],
          read: 40,
          maxDurationUs: 3_000,
          topCommands: [{command: 'zrange', count: 40, totalUs: 80_000, maxUs: 3_000}],
        }
      },
      [0],
    )
    expect(slowCommands(ev)!.severity).toBe('warning')
  })
})
