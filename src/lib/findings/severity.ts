import type {Finding, Severity} from './types.js'

/** Lowest first. The one ranking of severities: sorting, --fail-on and labels all derive from it. */
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical']

export const severityRank = (severity: Severity): number => SEVERITIES.indexOf(severity)

/** true when `severity` is `level` or worse. */
export const atLeast = (severity: Severity, level: Severity): boolean => severityRank(severity) >= severityRank(level)

/** critical before warning before info; then higher confidence first; then id, for a stable order. */
export function compareFindings(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || b.confidence - a.confidence || a.id.localeCompare(b.id)
}
