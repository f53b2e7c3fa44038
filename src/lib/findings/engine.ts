import type {ProbeEvidence} from '../evidence/types.js'
import {FINDINGS} from './registry.js'
import {compareFindings} from './severity.js'
import type {Finding, Rule} from './types.js'

/**
 * Runs every rule and ranks the findings.
 *
 * A rule that throws does not stop the run: it becomes an info finding under the rule's own id
 * (so `rcdiag explain` still knows it) with confidence 0 and a title saying the rule could not be
 * evaluated. Info, so a bug in one rule never turns a clean report into a warning, but visible, so a
 * bug never passes for a clean bill of health either.
 */
export function diagnose(evidence: ProbeEvidence, findings: ReadonlyArray<{id: string; rule: Rule}> = FINDINGS): Finding[] {
  const out: Finding[] = []
  for (const {id, rule} of findings) {
    let finding: Finding | undefined
    try {
      finding = rule(evidence)
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]
      finding = {
        id,
        severity: 'info',
        confidence: 0,
        title: `Rule ${id} could not be evaluated: ${message}`,
        evidence: [`the rule threw: ${message}`],
        remedy: 'This is a bug in rcdiag, not a finding about the cluster: please report it with the --json output of the run.',
        metrics: {ruleError: 1},
      }
    }
    if (finding) {
      out.push({...finding, confidence: Math.min(1, Math.max(0, Number.isFinite(finding.confidence) ? finding.confidence : 0))})
    }
  }
  return out.sort(compareFindings)
}
