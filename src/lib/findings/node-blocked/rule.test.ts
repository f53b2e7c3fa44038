import {describe, expect, it} from 'vitest'

import {ADDRESSES, healthyEvidence, replayRun, withNodes} from '../../../../test/helpers/evidence-builder.js'
import {diagnose} from '../engine.js'
import {ENTRY, THRESHOLDS} from './catalog.js'
import {nodeBlocked} from './rule.js'

describe('node-blocked', () => {
  it('stays silent when no node is stuck', () => {
    expect(nodeBlocked(healthyEvidence())).toBeUndefined()
  })

  it('a master running a long script: critical, first, naming the node, the kind and the fix', () => {
    const reason = 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.'
    const ev = withNodes(healthyEvidence(), (n) => (n.blocked = {kind: 'busy', reason}), [1])
    const f = nodeBlocked(ev)!
    expect(f).toMatchObject({severity: 'critical', confidence: THRESHOLDS.confidence, nodes: [ADDRESSES[1]]})
    expect(f.title).toBe(`Stuck node: ${ADDRESSES[1]} (master) is busy running a script or function (-BUSY)`)
    expect(f.evidence).toEqual([`${ADDRESSES[1]}: ${reason}`])
    expect(f.remedy).toMatch(/^Here: 127\.0\.0\.1:7001 \(busy\)\. BUSY: `SCRIPT KILL`/)
    expect(f.metrics).toMatchObject({nodesBusy: 1, nodesStalled: 0})
    // ranked above everything that explains only part of the picture
    expect(diagnose(ev)[0].id).toBe('node-blocked')
  })

  it('names every stuck node with its own kind', () => {
    const ev = withNodes(
      healthyEvidence(),
      (n) => (n.blocked = {kind: 'loading', reason: 'LOADING Redis is loading the dataset in memory'}),
      [4],
    )
    withNodes(
      ev,
      (n) => {
        n.reachable = false
        n.blocked = {kind: 'stalled', reason: 'no answer within 4000 ms (connected, but the server does not reply)'}
      },
      [2],
    )
    const f = nodeBlocked(ev)!
    expect(f.title).toBe(
      `Stuck nodes: ${ADDRESSES[2]} (master) is stalled: it accepts connections but answers nothing; ${ADDRESSES[4]} (replica) is loading its dataset (-LOADING)`,
    )
    expect(f.metrics).toMatchObject({nodesLoading: 1, nodesStalled: 1})
  })

  it('ranks above the cluster-state failure that a stall past cluster-node-timeout also causes', () => {
    const ev = withNodes(
      healthyEvidence(),
      (n) => {
        n.reachable = false
        n.blocked = {kind: 'stalled', reason: 'no answer within 4000 ms (connected, but the server does not reply)'}
      },
      [1],
    )
    withNodes(ev, (n) => (n.clusterState = 'fail'), [0, 2, 3, 4, 5])
    ev.cluster = {...ev.cluster!, state: 'fail', slotsCovered: 10923}
    const ids = diagnose(ev).map((f) => [f.id, f.severity])
    expect(ids.slice(0, 2)).toEqual([
      ['node-blocked', 'critical'],
      ['cluster-state-fail', 'critical'],
    ])
  })

  it('documents its confidence', () => {
    expect(ENTRY.detection).toContain(`confidence ${THRESHOLDS.confidence}`)
  })
})

describe('node-blocked during a replay', () => {
  it('a node that stopped answering during replay phases is named, with where and how long, even if it answered the probe', () => {
    const ev = healthyEvidence()
    ev.replay = {
      idleMs: 2000,
      cycles: 2,
      concurrency: 20,
      runs: [
        replayRun('refresh-on-error', {
          stalls: [
            {node: ADDRESSES[1], phase: 'post-idle', cycle: 2, silentMs: 4100, timeouts: 7},
            {node: ADDRESSES[1], phase: 'steady', cycle: 2, silentMs: 4300, timeouts: 6},
          ],
        }),
        replayRun('ioredis'),
      ],
    }
    const f = nodeBlocked(ev)!
    expect(f).toMatchObject({severity: 'critical', nodes: [ADDRESSES[1]]})
    expect(f.title).toBe(`Stuck node: ${ADDRESSES[1]} (master) stopped answering during the replay`)
    expect(f.evidence).toEqual([
      `${ADDRESSES[1]}: answered nothing for at least 4.3 s during the replay (refresh-on-error post-idle 2, refresh-on-error steady 2); ` +
        'those phases ended early and are left out of the latency comparison',
    ])
    expect(f.metrics).toMatchObject({nodesStalled: 1, replayPhasesEndedEarly: 2})
    expect(diagnose(ev)[0].id).toBe('node-blocked')
  })
})
