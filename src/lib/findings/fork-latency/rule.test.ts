import {describe, expect, it} from 'vitest'

import {ENTRY, THRESHOLDS} from './catalog.js'
import {forkLatency} from './rule.js'
import {healthyEvidence, withNodes} from '../../../../test/helpers/evidence-builder.js'

const GIB = 1024 ** 3

describe('fork-latency', () => {
  it('is silent when no node forked', () => {
    expect(forkLatency(healthyEvidence())).toBeUndefined()
    // an unreachable node's stale stats do not count
    expect(
      forkLatency(
        withNodes(
          healthyEvidence(),
          (n) => {
            n.reachable = false
            n.stats.latestForkUsec = 900_000
          },
          [0],
        ),
      ),
    ).toBeUndefined()
  })

  it('is info for a small fork (a replica full sync on a small dataset)', () => {
    const f = forkLatency(
      withNodes(
        healthyEvidence(),
        (n) => {
          n.stats.latestForkUsec = 420
        },
        [0],
      ),
    )!
    expect(f.severity).toBe('info')
    expect(f.title).toBe('Persistence fork on 127.0.0.1:7000 took 0.42 ms (under 100 ms: no stall worth chasing)')
    expect(f.evidence[0]).toContain('127.0.0.1:7000 (master): last fork 0.42 ms (latest_fork_usec 420); used memory 50 MB')
    expect(f.metrics).toMatchObject({maxForkMs: 0.42, nodesForked: 1, savesInProgress: 0})
    expect(f.confidence).toBe(THRESHOLDS.infoConfidence)
  })

  it('says when the fork can only have been a replica sync (no persistence)', () => {
    const f = forkLatency(
      withNodes(
        healthyEvidence(),
        (n) => {
          n.stats.latestForkUsec = 10_500
          n.config.save = ''
        },
        [1],
      ),
    )!
    expect(f.severity).toBe('info')
    expect(f.evidence[0]).toBe(
      '127.0.0.1:7001 (master): last fork 10.5 ms (latest_fork_usec 10500); used memory 50 MB; save "", appendonly no (no persistence: the fork served a full sync to a replica)',
    )
  })

  it('is info just below 100 ms (a nearly empty server in a container forks in ~10 ms)', () => {
    const f = forkLatency(
      withNodes(
        healthyEvidence(),
        (n) => {
          n.stats.latestForkUsec = 99_999
        },
        [0],
      ),
    )!
    expect(f.severity).toBe('info')
  })

  it('warns from 100 ms, with memory, ms/GiB and the save in progress', () => {
    const f = forkLatency(
      withNodes(
        healthyEvidence(),
        (n, i) => {
          n.stats.latestForkUsec = i === 1 ? 180_000 : 2_000
          n.stats.usedMemory = i === 1 ? 3 * GIB : 50 * 1024 ** 2
          n.stats.rdbBgsaveInProgress = i === 1 ? 1 : 0
        },
        [1, 4],
      ),
    )!
    expect(f.severity).toBe('warning')
    expect(f.title).toBe('Persistence fork stalled 127.0.0.1:7001 for 180 ms (3072 MB used); 1 save/rewrite in progress')
    const text = f.evidence.join('\n')
    expect(text).toContain(
      '127.0.0.1:7001 (master): last fork 180 ms (latest_fork_usec 180000); used memory 3072 MB; 60 ms/GiB; BGSAVE in progress; save "3600 1 300 100 60 10000", appendonly no',
    )
    expect(text).toContain('127.0.0.1:7004 (replica): last fork 2 ms')
    expect(text).toContain('forks slowly for its size (>= 50 ms/GiB')
    expect(f.nodes).toEqual(['127.0.0.1:7001', '127.0.0.1:7004'])
    expect(f.metrics).toMatchObject({maxForkMs: 180, nodesForked: 2, savesInProgress: 1, usedMemoryBytes: 3 * GIB})
    expect(f.remedy).toContain(ENTRY.remedy)
  })

  it('is critical from 500 ms, also from a LATENCY LATEST fork event', () => {
    const f = forkLatency(
      withNodes(
        healthyEvidence(),
        (n) => {
          n.stats.latestForkUsec = 30_000
          n.latencyLatest = [{event: 'fork', timestamp: 1_700_000_000, latestMs: 40, maxMs: 650}]
        },
        [2],
      ),
    )!
    expect(f.severity).toBe('critical')
    expect(f.metrics!.maxForkMs).toBe(650)
    expect(f.evidence[0]).toContain('LATENCY LATEST fork max 650 ms')
  })

  it('mentions an AOF rewrite in progress', () => {
    const f = forkLatency(
      withNodes(
        healthyEvidence(),
        (n) => {
          n.stats.latestForkUsec = 120_000
          n.stats.aofRewriteInProgress = 1
        },
        [0],
      ),
    )!
    expect(f.severity).toBe('warning')
    expect(f.evidence[0]).toContain('AOF rewrite in progress')
    expect(f.metrics!.aofRewritesInProgress).toBe(1)
  })

  it('documents its thresholds', () => {
    const d = ENTRY.detection
    expect(d).toContain(`warning at >= ${THRESHOLDS.warningMs} ms`)
    expect(d).toContain(`critical at >= ${THRESHOLDS.criticalMs} ms`)
  })
})
