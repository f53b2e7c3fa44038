import {Flags} from '@oclif/core'

import {EXIT} from '../lib/shared/errors.js'
import {ALERTING_SEVERITIES, atLeast} from '../lib/findings/severity.js'
import type {Finding} from '../lib/findings/types.js'

export const FAIL_ON_LEVELS = ALERTING_SEVERITIES
export type FailOnLevel = (typeof FAIL_ON_LEVELS)[number]

/** `--fail-on warning|critical`: exit 6 when the report has a finding at or above that severity. */
export const failOnFlag = Flags.option({
  options: FAIL_ON_LEVELS,
  summary: `Exit with code ${EXIT.findings} when a finding at or above this severity is reported (the report is still printed in full).`,
})()

/**
 * The exit code --fail-on asks for: EXIT.findings when some finding is at or above `level`,
 * undefined when none is, or when no level was given (the command's own exit code stands).
 */
export function failOnExitCode(findings: ReadonlyArray<Pick<Finding, 'severity'>>, level: FailOnLevel | undefined): number | undefined {
  if (level === undefined) return undefined
  return findings.some((finding) => atLeast(finding.severity, level)) ? EXIT.findings : undefined
}
