import {describe, expect, it} from 'vitest'

import {FAIL_ON_LEVELS, failOnExitCode, failOnFlag} from '../../../src/cli/fail-on.js'
import {EXIT} from '../../../src/lib/shared/errors.js'
import type {Severity} from '../../../src/lib/findings/types.js'

const findings = (...severities: Severity[]) => severities.map((severity) => ({severity}))

describe('--fail-on', () => {
  it('is one flag with the levels warning and critical, and exit code 6', () => {
    expect(FAIL_ON_LEVELS).toEqual(['warning', 'critical'])
    expect(failOnFlag.options).toEqual(['warning', 'critical'])
    expect(EXIT.findings).toBe(6)
  })

  it('warning: fails on a warning or a critical finding, not on info', () => {
    expect(failOnExitCode(findings('warning'), 'warning')).toBe(6)
    expect(failOnExitCode(findings('info', 'critical'), 'warning')).toBe(6)
    expect(failOnExitCode(findings('info', 'info'), 'warning')).toBeUndefined()
    expect(failOnExitCode([], 'warning')).toBeUndefined()
  })

  it('critical: fails only on a critical finding', () => {
    expect(failOnExitCode(findings('critical'), 'critical')).toBe(6)
    expect(failOnExitCode(findings('warning', 'info'), 'critical')).toBeUndefined()
  })

  it('without a level never asks for an exit code', () => {
    expect(failOnExitCode(findings('critical'), undefined)).toBeUndefined()
  })
})
