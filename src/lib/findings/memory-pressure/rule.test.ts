import {describe, expect, it} from 'vitest'

import {ENTRY, THRESHOLDS} from './catalog.js'
import {memoryPressure} from './rule.js'
import {healthyEvidence, quietSample, sampleByNode, withConfig, withNodes} from '../../../../test/helpers/evidence-builder.js'

const MB = 1024 ** 2

describe('memory-pressure', () => {
  it('is silent on a healthy cluster, with or without a quiet sample', () => {
    expect(memoryPressure(healthyEvidence())).toBeUndefined()
    expect(memoryPressure({...healthyEvidence(), sample: quietSample()})).toBeUndefined()
  })

  it('warns on evictions since start', () => {
    const ev = withConfig(withConfig(healthyEvidence(), 'maxmemory', 100 * MB, [0]), 'maxmemory-policy', 'allkeys-lru', [0])
    ev.nodes[0].stats.evictedKeys = 1234
    const f = memoryPressure(ev)!
    expect(f.severity).toBe('warning')
    expect(f.title).toBe('127.0.0.1:7000 evicted 1234 key(s) since start')
    expect(f.evidence).toEqual([
      '127.0.0.1:7000 (master): used 50 MB of maxmemory 100 MB (50%), policy allkeys-lru, 1234 key(s) evicted since start',
    ])
    expect(f.metrics).toMatchObject({evictedKeys: 1234, nodesEvicting: 0, nodesNearMaxmemory: 0})
    expect(f.remedy).toContain(ENTRY.remedy)
  })

  it('warns with the rate when keys are evicted during the sample', () => {
    const ev = withConfig(healthyEvidence(), 'maxmemory', 52 * MB, [1])
    ev.nodes[1].stats.evictedKeys = 90_000
    ev.sample = sampleByNode({1: {evictedKeysPerSec: 850}})
    const f = memoryPressure(ev)!
    expect(f.severity).toBe('warning')
    expect(f.confidence).toBe(0.8)
    expect(f.title).toBe('Evicting keys: 850/s on 127.0.0.1:7001 at 96.2% of maxmemory')
    expect(f.evidence[0]).toContain('850 evicted/s during the sample')
    expect(f.metrics).toMatchObject({nodesEvicting: 1, evictedKeysPerSec: 850, nodesNearMaxmemory: 1, maxMemoryFraction: 0.962})
  })

  it('warns at >= 90% of maxmemory, not below, not without maxmemory', () => {
    const f = memoryPressure(withConfig(healthyEvidence(), 'maxmemory', 55 * MB, [2]))!
    expect(f.title).toBe('127.0.0.1:7002 is at 90.9% of maxmemory (50/55 MB)')
    expect(f.nodes).toEqual(['127.0.0.1:7002'])
    expect(memoryPressure(withConfig(healthyEvidence(), 'maxmemory', 60 * MB))).toBeUndefined()
    expect(
      memoryPressure(
        withNodes(healthyEvidence(), (n) => {
          n.stats.usedMemory = 10 * 1024 * MB
        }),
      ),
    ).toBeUndefined()
  })

  it('warns on fragmentation >= 1.5 only with >= 100 MB RSS', () => {
    const f = memoryPressure(
      withNodes(
        healthyEvidence(),
        (n) => {
          n.stats.usedMemory = 200 * MB
          n.stats.usedMemoryRss = 360 * MB
          n.stats.memFragmentationRatio = 1.8
        },
        [3],
      ),
    )!
    expect(f.severity).toBe('warning')
    expect(f.title).toBe('Memory fragmented on 127.0.0.1:7003: ratio 1.8 with 360 MB RSS')
    expect(f.remedy).toContain('activedefrag')
    expect(f.metrics).toMatchObject({nodesFragmented: 1})
    // a small instance always looks fragmented
    expect(
      memoryPressure(
        withNodes(healthyEvidence(), (n) => {
          n.stats.usedMemory = 1 * MB
          n.stats.usedMemoryRss = 9 * MB
          n.stats.memFragmentationRatio = 9
        }),
      ),
    ).toBeUndefined()
  })

  it('documents its thresholds', () => {
    const d = ENTRY.detection
    expect(d).toContain(`>= ${THRESHOLDS.warningFraction * 100}% of maxmemory`)
    expect(d).toContain(`mem_fragmentation_ratio is >= ${THRESHOLDS.fragmentationRatio} with used_memory_rss >= 100 MB`)
  })
})
