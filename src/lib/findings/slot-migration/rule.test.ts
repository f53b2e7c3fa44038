import {describe, expect, it} from 'vitest'

import {slotMigration} from './rule.js'
import {healthyEvidence, MASTER_IDS, sample} from '../../../../test/helpers/evidence-builder.js'

describe('slot-migration', () => {
  it('is silent without markers', () => {
    expect(slotMigration(healthyEvidence())).toBeUndefined()
  })

  it('warns with slots and source -> target when both sides are marked', () => {
    const ev = healthyEvidence()
    ev.nodes[0].migrating = [100, 101, 102].map((slot) => ({slot, toNodeId: MASTER_IDS[1]}))
    ev.nodes[1].importing = [100, 101, 102].map((slot) => ({slot, fromNodeId: MASTER_IDS[0]}))
    ev.sample = sample({askPerSec: 3})
    const f = slotMigration(ev)!
    expect(f.severity).toBe('warning')
    expect(f.confidence).toBe(0.8)
    expect(f.evidence).toEqual([
      '3 slot(s) in migration: 100-102',
      '127.0.0.1:7000 -> 127.0.0.1:7001: slot(s) 100-102 (3)',
      '3 ASK redirects/s during the sample',
    ])
    expect(f.nodes).toEqual(['127.0.0.1:7000', '127.0.0.1:7001'])
    expect(f.metrics).toEqual({slotsInMigration: 3, migrationPairs: 1, halfMarkedSlots: 0, askPerSec: 3})
  })

  it('flags slots marked on one side only as stuck', () => {
    const ev = healthyEvidence()
    ev.nodes[2].migrating = [{slot: 12000, toNodeId: MASTER_IDS[0]}]
    const f = slotMigration(ev)!
    expect(f.title).toContain('stuck')
    expect(f.evidence.join('\n')).toContain('slot(s) 12000 marked on one side only')
    expect(f.evidence).toContain('127.0.0.1:7002 -> 127.0.0.1:7000: slot(s) 12000 (1)')
    expect(f.metrics!.halfMarkedSlots).toBe(1)
  })

  it('names unknown node ids by prefix and does not call them stuck', () => {
    const ev = healthyEvidence()
    ev.nodes[1].importing = [{slot: 7, fromNodeId: 'ffffffff'.padEnd(40, '9')}]
    const f = slotMigration(ev)!
    expect(f.evidence).toContain('node ffffffff -> 127.0.0.1:7001: slot(s) 7 (1)')
    expect(f.metrics!.halfMarkedSlots).toBe(0)
  })
})
