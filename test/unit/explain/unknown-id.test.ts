import {describe, expect, it} from 'vitest'

import {unknownIdMessage} from '../../../src/lib/explain/render.js'
import {editDistance, nearestIds} from '../../../src/lib/shared/nearest.js'
import {FINDING_IDS, findingById} from '../../../src/lib/findings/registry.js'

describe('unknown finding ids', () => {
  it('the registry knows no such id (the explain command makes the usage error, exit 2)', () => {
    expect(findingById('nope')).toBeUndefined()
  })

  it('suggests the nearest ids: typos, fragments, other spellings', () => {
    expect(nearestIds('idle-timeout-reconect', FINDING_IDS)[0]).toBe('idle-timeout-reconnect')
    expect(nearestIds('slow-command', FINDING_IDS)[0]).toBe('slow-commands')
    expect(nearestIds('keepalive', FINDING_IDS)[0]).toBe('tcp-keepalive-off')
    expect(nearestIds('Slot_Migration', FINDING_IDS)[0]).toBe('slot-migration')
    expect(nearestIds('fork', FINDING_IDS)[0]).toBe('fork-latency')
    expect(nearestIds('nope', FINDING_IDS)).toHaveLength(3)
    expect(nearestIds('   ', FINDING_IDS)).toEqual([])
  })

  it('says it in one line, with the way to see every id', () => {
    const message = unknownIdMessage('slow-comands', FINDING_IDS)
    expect(message).not.toContain('\n')
    expect(message).toMatch(/^unknown finding id "slow-comands"; did you mean slow-commands, /)
    expect(message).toContain(`\`rcdiag explain\` lists all ${FINDING_IDS.length}`)
  })

  it('measures edit distance', () => {
    expect(editDistance('', 'abc')).toBe(3)
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('same', 'same')).toBe(0)
  })
})
