import {describe, expect, it} from 'vitest'

import {emptyOpContext} from '../../../src/lib/replay/recorder.js'
import {StallWatch, type Stall} from '../../../src/lib/replay/stall.js'

const timedOut = () => ({...emptyOpContext(), timeouts: 1, connectionErrors: 1})
const ok = emptyOpContext

describe('StallWatch', () => {
  const watch = () => {
    const stalls: Stall[] = []
    return {stalls, w: new StallWatch(4000, (s) => stalls.push(s))}
  }

  it('operations that time out on a node for two command timeouts, nothing answered since: stalled, reported once', () => {
    const {stalls, w} = watch()
    w.started('n1', 0)
    w.started('n1', 10)
    w.ended('n1', 0, false, timedOut(), 2000)
    w.ended('n1', 10, false, timedOut(), 2010)
    expect(stalls).toEqual([])
    w.started('n1', 2000)
    w.ended('n1', 2000, false, timedOut(), 4000)
    expect(stalls).toEqual([{node: 'n1', silentMs: 4000, timeouts: 3}])
    w.check(9000)
    expect(stalls).toHaveLength(1)
  })

  it('operations still waiting count: a model retrying inside one operation is seen without its result', () => {
    const {stalls, w} = watch()
    w.started('n1', 100)
    w.started('n1', 150)
    w.started('n2', 100)
    w.ended('n2', 100, true, ok(), 101)
    w.check(4000)
    expect(stalls).toEqual([])
    w.check(4100)
    expect(stalls).toEqual([{node: 'n1', silentMs: 4000, timeouts: 2}])
  })

  it('a node that answers operations started after the slow one is alive: no stall', () => {
    const {stalls, w} = watch()
    w.started('n1', 0) // a slow one
    w.started('n1', 3000)
    w.ended('n1', 3000, true, ok(), 3001)
    w.check(6000)
    w.ended('n1', 0, false, timedOut(), 6000)
    w.check(7000)
    expect(stalls).toEqual([])
  })

  it('fast failures (refused, closed) and unknown nodes are no silence; one slow reply is a hiccup', () => {
    const {stalls, w} = watch()
    w.started('n1', 0)
    w.ended('n1', 0, false, {...emptyOpContext(), connectionErrors: 1, closedConnectionErrors: 1}, 10)
    w.started(undefined, 0)
    w.check(9000)
    w.started('n2', 9000)
    w.ended('n2', 9000, false, timedOut(), 11000)
    w.started('n2', 11000)
    w.ended('n2', 11000, true, ok(), 11001)
    w.check(20000)
    expect(stalls).toEqual([])
  })
})

describe('StallWatch.dismiss', () => {
  it('a suspicion the nodes disprove is dropped, and nothing is suspected for another interval', () => {
    const stalls: Stall[] = []
    const w = new StallWatch(4000, (s) => stalls.push(s))
    w.started('n1', 0)
    w.check(4000)
    expect(stalls).toHaveLength(1)
    w.dismiss(4000)
    w.check(7000)
    expect(stalls).toHaveLength(1)
    w.check(8000)
    expect(stalls).toHaveLength(2)
  })
})
