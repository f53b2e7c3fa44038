import type {Finding, Severity} from './types.js'

/** Lowest first. The one ranking of severities: sorting and --fail-on derive from it. */
export const SEVERITIES = ['info', 'warning', 'critical'] as const satisfies readonly Severity[]

/** The severities worth failing a run for (--fail-on): all but info. */
export const ALERTING_SEVERITIES = ['warning', 'critical'] as const satisfies ReadonlyArray<(typeof SEVERITIES)[number]>

export const severityRank = (severity: Severity): number => SEVERITIES.indexOf(severity)

/** true when `severity` is `level` or worse. */
export const atLeast = (severity: Severity, level: Severity): boolean => severityRank(severity) >= severityRank(level)

/** critical before warning before info; then higher confidence first; then id, for a stable order. */
export function compareFindings(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || b.confidence - a.confidence || a.id.localeCompare(b.id)
}
