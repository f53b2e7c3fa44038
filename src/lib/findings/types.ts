import type {ProbeEvidence} from '../evidence/types.js'

export type Severity = 'info' | 'warning' | 'critical'

export interface Finding {
  /** stable kebab-case id from the catalog */
  id: string
  severity: Severity
  /** 0..1 */
  confidence: number
  /** one line */
  title: string
  /** the measured facts behind it, with numbers, one per line */
  evidence: string[]
  /** what to change */
  remedy: string
  /** the nodes concerned, "host:port" */
  nodes?: string[]
  /** numbers for dashboards */
  metrics?: Record<string, number>
}

/** A rule: evidence in, at most one finding out. Pure: a rule never opens a connection. */
export type Rule = (evidence: ProbeEvidence) => Finding | undefined

/** What `rcdiag explain` prints about one finding id. */
export interface CatalogEntry {
  id: string
  /** one line */
  title: string
  /** the severities a finding with this id can take, lowest first */
  severities: Severity[]
  /** what it is and why it causes intermittent latency */
  meaning: string
  /** the signals and thresholds rcdiag uses */
  detection: string
  /** what to change */
  remedy: string
}

/** One finding, whole: its catalog entry, its thresholds and confidences, and its rule. */
export interface FindingModule extends CatalogEntry {
  thresholds: Readonly<Record<string, unknown>>
  rule: Rule
}
