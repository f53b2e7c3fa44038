import {describe, expect, it} from 'vitest'
import {parseClusterInfo} from '../../../src/lib/parse/index.js'
import {fixtureText} from './fixtures.js'

describe('parseClusterInfo', () => {
  it('reads the real CLUSTER INFO (\\r\\n lines)', () => {
    const info = parseClusterInfo(fixtureText('cluster-info.txt'))
    expect(info.cluster_state).toBe('ok')
    expect(info.cluster_slots_assigned).toBe('16384')
    expect(info.cluster_known_nodes).toBe('6')
    expect(info.cluster_size).toBe('3')
    expect(Object.values(info).some((v) => v.includes('\r'))).toBe(false)
  })

  it('handles empty and malformed input', () => {
    expect(parseClusterInfo('')).toEqual({})
    expect(parseClusterInfo('junk\ncluster_state:fail\n')).toEqual({cluster_state: 'fail'})
    expect(() => parseClusterInfo(42 as unknown as string)).toThrow('CLUSTER INFO reply: expected text, got number')
  })
})
