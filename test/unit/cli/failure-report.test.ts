import {describe, expect, it} from 'vitest'

import {failureReport} from '../../../src/cli/base-command.js'
import {EXIT, RcdiagError} from '../../../src/lib/shared/errors.js'
import {registerSecret} from '../../../src/lib/shared/redact.js'

describe('failureReport: what stderr, the --json error document and the last NDJSON event say', () => {
  it('carries the code, the one-line message and the exit status', () => {
    expect(failureReport(new RcdiagError('UNREACHABLE', '10.0.0.1:7000: connection refused'))).toEqual({
      code: 'UNREACHABLE',
      message: '10.0.0.1:7000: connection refused',
      exitCode: EXIT.unreachable,
    })
    expect(failureReport(new Error('boom\nat x'))).toEqual({code: 'INTERNAL', message: 'boom: at x', exitCode: EXIT.failure})
  })

  it("treats oclif's parse errors as usage errors", () => {
    const parse = Object.assign(new Error('Parsing --idle\n\tno unit\nSee more help with --help'), {parse: {}})
    expect(failureReport(parse)).toEqual({code: 'USAGE', message: 'Parsing --idle: no unit', exitCode: EXIT.usage})
    // an option out of its list carries oclif's exit 1, and a flag without its value is a plain CLIError
    const option = Object.assign(new Error('Expected --group-by=bogus to be one of: command, pattern'), {parse: {}, oclif: {exit: 1}})
    expect(failureReport(option)).toMatchObject({code: 'USAGE', exitCode: EXIT.usage})
    expect(failureReport(Object.assign(new Error('Flag --url expects a value'), {oclif: {exit: 1}}))).toMatchObject({
      code: 'USAGE',
      exitCode: 2,
    })
  })

  it('a server that refuses the work is exit 3 with its own code', () => {
    expect(failureReport(new RcdiagError('REFUSED', 'writing the replay keys: the server 10.0.0.1:7000 refused: BUSY'))).toMatchObject({
      code: 'REFUSED',
      exitCode: EXIT.unreachable,
    })
  })

  it('escapes terminal controls from what the user typed, keeping readable text', () => {
    const error = new RcdiagError('USAGE', 'unknown finding id "\x1b]0;pwned\x07" (ключ ≥ 5 µs)')
    expect(failureReport(error).message).toBe('unknown finding id "\\x1b]0;pwned\\x07" (ключ ≥ 5 µs)')
  })

  it('never carries a registered secret', () => {
    registerSecret('hunter2-secret')
    expect(failureReport(new Error('AUTH hunter2-secret failed')).message).not.toContain('hunter2-secret')
  })
})
