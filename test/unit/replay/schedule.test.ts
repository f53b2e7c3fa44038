import {describe, expect, it} from 'vitest'

import {untilAborted} from '../../../src/lib/replay/schedule.js'

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
