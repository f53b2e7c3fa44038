import {describe, expect, it} from 'vitest'

import {ENTRY, THRESHOLDS} from './catalog.js'
import {nodeImbalance} from './rule.js'
import {healthyEvidence, quietSample, sampleByNode, withNodes} from '../../../../test/helpers/evidence-builder.js'

const MB = 1024 ** 2

describe('node-imbalance', () => {
  it('is silent on a healthy cluster, with or without a quiet sample', () => {
    expect(nodeImbalance(healthyEvidence())).toBeUndefined()
    expect(nodeImbalance({...healthyEvidence(), sample: quietSample()})).toBeUndefined()
  })

  it('warns when one master serves >= 3 x the median of the others and >= 100 ops/s, naming it', () => {
    const ev = {
      ...healthyEvidence(),
      sample: sampleByNode({0: {opsPerSec: 200}, 1: {opsPerSec: 4500}, 2: {opsPerSec: 300}, 4: {opsPerSec: 9000}}),
    }
    const f = nodeImbalance(ev)!
    expect(f.severity).toBe('warning')
    expect(f.confidence).toBe(THRESHOLDS.opsConfidence)
    expect(f.title).toBe('Hot node: 127.0.0.1:7001 serves 4500 ops/s, 18 x the other masters (median 250 ops/s)')
    const text = f.evidence.join('\n')
    expect(text).toContain('ops/s per master over the 10 s sample: 127.0.0.1:7001 4500, 127.0.0.1:7002 300, 127.0.0.1:7000 200')
    expect(text).not.toContain('127.0.0.1:7004') // replicas are not compared
    expect(f.nodes).toEqual(['127.0.0.1:7001'])
    expect(f.metrics).toMatchObject({masters: 3, hotOpsPerSec: 4500, othersMedianOpsPerSec: 250})
    expect(f.remedy).toContain(ENTRY.remedy)
  })

  it('warns when the others are idle, but not below 100 ops/s or below 3 x', () => {
    const idle = nodeImbalance({...healthyEvidence(), sample: sampleByNode({2: {opsPerSec: 150}})})!
    expect(idle.title).toBe('Hot node: 127.0.0.1:7002 serves 150 ops/s, far above the other masters (median 0 ops/s)')
    expect(idle.evidence[0]).toBe('127.0.0.1:7002 serves 150 ops/s while the other masters are idle (median 0 ops/s)')
    expect(nodeImbalance({...healthyEvidence(), sample: sampleByNode({2: {opsPerSec: 90}})})).toBeUndefined()
    expect(
      nodeImbalance({...healthyEvidence(), sample: sampleByNode({0: {opsPerSec: 1000}, 1: {opsPerSec: 2900}, 2: {opsPerSec: 1000}})}),
    ).toBeUndefined()
  })

  it('warns on memory skew: >= 2 x the median of the other masters and >= 100 MB more', () => {
    const f = nodeImbalance(
      withNodes(
        healthyEvidence(),
        (n) => {
          n.stats.usedMemory = 400 * MB
        },
        [2],
      ),
    )!
    expect(f.severity).toBe('warning')
    expect(f.title).toBe('Memory skew: 127.0.0.1:7002 uses 400 MB, 8 x the other masters (median 50 MB)')
    expect(f.evidence[0]).toContain('350 MB more')
    expect(f.metrics).toMatchObject({hotUsedMemoryBytes: 400 * MB, othersMedianUsedMemoryBytes: 50 * MB})
    // 8 x but only 70 MB more: small instances are not skewed
    expect(
      nodeImbalance(
        withNodes(
          healthyEvidence(),
          (n) => {
            n.stats.usedMemory = n.address.endsWith('7002') ? 80 * MB : 10 * MB
          },
          [0, 1, 2],
        ),
      ),
    ).toBeUndefined()
    // a replica holding more memory is not a master imbalance
    expect(
      nodeImbalance(
        withNodes(
          healthyEvidence(),
          (n) => {
            n.stats.usedMemory = 4000 * MB
          },
          [5],
        ),
      ),
    ).toBeUndefined()
  })

  it('names the ops-hot node when both fire', () => {
    const ev = withNodes(
      healthyEvidence(),
      (n) => {
        n.stats.usedMemory = 500 * MB
      },
      [0],
    )
    ev.sample = sampleByNode({0: {opsPerSec: 5000}, 1: {opsPerSec: 100}, 2: {opsPerSec: 100}})
    const f = nodeImbalance(ev)!
    expect(f.title).toBe(
      'Hot node: 127.0.0.1:7000 serves 5000 ops/s, 50 x the other masters (median 100 ops/s) and holds 10 x their memory',
    )
    expect(f.nodes).toEqual(['127.0.0.1:7000'])
  })

  it('needs at least two masters', () => {
    const ev = healthyEvidence()
    ev.mode = 'standalone'
    ev.nodes = [ev.nodes[0]]
    ev.nodes[0].stats.usedMemory = 4000 * MB
    expect(nodeImbalance({...ev, sample: sampleByNode({0: {opsPerSec: 9000}})})).toBeUndefined()
  })

  it('documents its thresholds', () => {
    const d = ENTRY.detection
    expect(d).toContain(`>= ${THRESHOLDS.opsRatio} x the median of the other masters and >= ${THRESHOLDS.minOpsPerSec}/s`)
    expect(d).toContain(`>= ${THRESHOLDS.memoryRatio} x the median of the other masters and >= 100 MB above it`)
  })
})
