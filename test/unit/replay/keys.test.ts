import {describe, expect, it} from 'vitest'

import {RcdiagError} from '../../../src/lib/shared/errors.js'
import {groupByOwner} from '../../../src/lib/redis/key-routing.js'
import {newRunId, planKeyspace, writeFailure} from '../../../src/lib/replay/keys.js'
import {burstBoundSec, resolveReplaySettings} from '../../../src/lib/replay/options.js'
import {renderReplay} from '../../../src/lib/replay/render.js'
import {buildReplayReport, type ReplayReport} from '../../../src/lib/replay/report.js'
import {untilAborted} from '../../../src/lib/replay/schedule.js'

describe('the keys a run creates', () => {
  it('carry a random 8-hex run id after the prefix, so two runs never share a key', () => {
    const a = planKeyspace('rcdiag:replay:', 3, 2)
    const b = planKeyspace('rcdiag:replay:', 3, 2)
    expect(a.runId).toMatch(/^[0-9a-f]{8}$/)
    expect(a.runId).not.toBe(b.runId)
    expect(a.prefix).toBe(`rcdiag:replay:${a.runId}:`)
    expect(a.keys).toEqual([0, 1, 2].map((i) => `rcdiag:replay:${a.runId}:${i}`))
    expect(a.fields).toEqual(['f0', 'f1'])
    expect(a.owned).toBe(true)
    expect(newRunId()).toMatch(/^[0-9a-f]{8}$/)
  })

  it('groups 100k keys by owner in one pass, every key once', () => {
    const keys = Array.from({length: 100_000}, (_, i) => `k${i}`)
    const started = performance.now()
    const {groups, unowned} = groupByOwner(keys, (key) => (key.endsWith('7') ? undefined : `node${key.length % 3}`))
    expect(performance.now() - started).toBeLessThan(1000)
    expect(unowned).toHaveLength(10_000)
    expect([...groups.values()].reduce((n, g) => n + g.length, 0)).toBe(90_000)
  })
})

describe('key write failures become one-line errors with the right exit status', () => {
  const replyError = (message: string) => Object.assign(new Error(message), {name: 'ReplyError'})

  it('Redis refusing the write (OOM, READONLY): exit 1, names the node', () => {
    const error = writeFailure('creating the replay keys', {key: 'k', node: '10.0.0.1:7000', error: replyError("OOM command not allowed when used memory > 'maxmemory'.")})
    expect(error).toBeInstanceOf(RcdiagError)
    expect(error.exitCode).toBe(1)
    expect(error.message).toBe("creating the replay keys: 10.0.0.1:7000 refused: OOM command not allowed when used memory > 'maxmemory'.")
    expect(writeFailure('creating the replay keys', {key: 'k', node: 'n:1', error: replyError("READONLY You can't write against a read only replica.")}).message).toMatch(/READONLY/)
  })

  it('an unreachable node: exit 3; an ACL refusal: exit 4', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:7000'), {code: 'ECONNREFUSED'})
    expect(writeFailure('creating the replay keys', {key: 'k', node: '10.0.0.1:7000', error: refused})).toMatchObject({code: 'UNREACHABLE', exitCode: 3})
    expect(writeFailure('creating the replay keys', {key: 'k', node: 'n:1', error: new Error('Command timed out')}).exitCode).toBe(3)
    expect(writeFailure('checking the replay keys', {key: 'k', node: 'n:1', error: replyError('NOPERM this user has no permissions')}).exitCode).toBe(4)
  })
})

describe('options: the key TTL covers a paced run', () => {
  it('a burst takes max(5 s, concurrency x burst / rate) when --rate paces it', () => {
    expect(burstBoundSec({concurrency: 20, burst: 50, rate: 0})).toBe(5)
    expect(burstBoundSec({concurrency: 20, burst: 50, rate: 1000})).toBe(5)
    expect(burstBoundSec({concurrency: 20, burst: 50, rate: 10})).toBe(100)
    const paced = resolveReplaySettings({rate: 10, idleMs: 1000, cycles: 1, steadyBursts: 1})
    // warm-up + post-idle + 1 steady burst at 100 s each, plus the gap, plus the margin
    expect(paced.keyTtlSec).toBeGreaterThanOrEqual(3 * 100 + 1 + 600)
  })
})

describe('untilAborted', () => {
  it('returns at the abort while the work still runs, and swallows its later rejection', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      const abort = new AbortController()
      let reject: (error: Error) => void = () => {}
      let workSettled = false
      const work = new Promise((_, r) => (reject = r))
      work.catch(() => (workSettled = true))
      const waiting = untilAborted(work, abort.signal)
      setTimeout(() => abort.abort(), 10)
      await expect(waiting).resolves.toBeUndefined()
      expect(workSettled).toBe(false) // it returned at the abort, not when the work ended
      reject(new Error('closed later'))
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(workSettled).toBe(true)
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  it('passes a failure of the work through', async () => {
    await expect(untilAborted(Promise.reject(new Error('start failed')), new AbortController().signal)).rejects.toThrow('start failed')
  })
})

describe('the keys line of the human report', () => {
  const report = (keys: ReplayReport['keys']) =>
    buildReplayReport({
      target: 'redis://127.0.0.1:7000',
      durationMs: 1,
      interrupted: false,
      settings: resolveReplaySettings({}),
      cluster: {masters: 3, replicas: 3, serverTimeoutSec: 5, tcpKeepaliveSec: 300},
      keys,
      runs: [],
      findings: [],
    })

  it('names the run prefix and id, and says when removal could not be confirmed', () => {
    const base = {mode: 'created' as const, runId: '1a2b3c4d', prefix: 'rcdiag:replay:1a2b3c4d:', count: 1000, fields: 5, removed: true}
    expect(renderReplay(report({...base, remaining: 0}))).toMatch(/Keys: 1000 hashes under rcdiag:replay:1a2b3c4d: \(run 1a2b3c4d\) created with a \d+ s TTL and removed; 0 remain\./)
    expect(renderReplay(report({...base, remaining: null, cleanupError: '12 of 1000 keys could not be removed or checked (127.0.0.1:7001: connection refused); they expire with their TTL'}))).toMatch(
      /removal not confirmed: 12 of 1000 keys could not be removed/,
    )
    expect(renderReplay(report({mode: 'created', count: 0, fields: 5, removed: false, remaining: 0}))).toMatch(/Keys: none created/)
  })
})
