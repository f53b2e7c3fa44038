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
  })

  it('never carries a registered secret', () => {
    registerSecret('hunter2-secret')
    expect(failureReport(new Error('AUTH hunter2-secret failed')).message).not.toContain('hunter2-secret')
  })
})
