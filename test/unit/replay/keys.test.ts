import {describe, expect, it} from 'vitest'

import {RcdiagError} from '../../../src/lib/shared/errors.js'
import {newRunId, planKeyspace, writeFailure} from '../../../src/lib/replay/keys.js'

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
})

describe('key write failures become one-line errors with the right exit status', () => {
  const replyError = (message: string) => Object.assign(new Error(message), {name: 'ReplyError'})

  it('Redis refusing the write (OOM, READONLY): exit 3 (REFUSED), names the node', () => {
    const error = writeFailure('creating the replay keys', {
      key: 'k',
      node: '10.0.0.1:7000',
      error: replyError("OOM command not allowed when used memory > 'maxmemory'."),
    })
    expect(error).toBeInstanceOf(RcdiagError)
    expect(error).toMatchObject({code: 'REFUSED', exitCode: 3})
    expect(error.message).toBe(
      "creating the replay keys: the server 10.0.0.1:7000 refused: OOM command not allowed when used memory > 'maxmemory'.",
    )
    expect(
      writeFailure('creating the replay keys', {
        key: 'k',
        node: 'n:1',
        error: replyError("READONLY You can't write against a read only replica."),
      }).message,
    ).toMatch(/READONLY/)
  })

  it('an unreachable node: exit 3; an ACL refusal: exit 4', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:7000'), {code: 'ECONNREFUSED'})
    expect(writeFailure('creating the replay keys', {key: 'k', node: '10.0.0.1:7000', error: refused})).toMatchObject({
      code: 'UNREACHABLE',
      exitCode: 3,
    })
    expect(writeFailure('creating the replay keys', {key: 'k', node: 'n:1', error: new Error('Command timed out')}).exitCode).toBe(3)
    expect(
      writeFailure('checking the replay keys', {key: 'k', node: 'n:1', error: replyError('NOPERM this user has no permissions')}).exitCode,
    ).toBe(4)
  })
})
