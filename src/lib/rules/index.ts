/**
 * The diagnosis engine: every rule, run over one evidence document, findings ranked.
 * Adding a cause = adding a rule file, its catalog entry, and a line in RULES.
 */
import type {Finding, ProbeEvidence, Rule, Severity} from '../evidence/types.js'
import type {FindingId} from './catalog.js'
import {clientLimit} from './client-limit.js'
import {clientSideLatency} from './client-side-latency.js'
import {clusterStateFail} from './cluster-state-fail.js'
import {configUnreadable} from './config-unreadable.js'
import {connectionChurn} from './connection-churn.js'
import {forkLatency} from './fork-latency.js'
import {idleTimeoutReconnect} from './idle-timeout-reconnect.js'
import {memoryPressure} from './memory-pressure.js'
import {networkRtt} from './network-rtt.js'
import {nodeImbalance} from './node-imbalance.js'
import {recentFailover} from './recent-failover.js'
import {serverLatencyEvents} from './server-latency-events.js'
import {slotMapDisagreement} from './slot-map-disagreement.js'
import {slotMigration} from './slot-migration.js'
import {slowCommands} from './slow-commands.js'
import {tcpKeepaliveOff} from './tcp-keepalive-off.js'
import {topologyRefreshStorm} from './topology-refresh-storm.js'

export interface RuleEntry {
  id: FindingId
  rule: Rule
}

export const RULES: RuleEntry[] = [
  {id: 'idle-timeout-reconnect', rule: idleTimeoutReconnect},
  {id: 'tcp-keepalive-off', rule: tcpKeepaliveOff},
  {id: 'topology-refresh-storm', rule: topologyRefreshStorm},
  {id: 'connection-churn', rule: connectionChurn},
  {id: 'slow-commands', rule: slowCommands},
  {id: 'server-latency-events', rule: serverLatencyEvents},
  {id: 'fork-latency', rule: forkLatency},
  {id: 'client-side-latency', rule: clientSideLatency},
  {id: 'cluster-state-fail', rule: clusterStateFail},
  {id: 'slot-map-disagreement', rule: slotMapDisagreement},
  {id: 'slot-migration', rule: slotMigration},
  {id: 'recent-failover', rule: recentFailover},
  {id: 'node-imbalance', rule: nodeImbalance},
  {id: 'client-limit', rule: clientLimit},
  {id: 'memory-pressure', rule: memoryPressure},
  {id: 'network-rtt', rule: networkRtt},
  {id: 'config-unreadable', rule: configUnreadable},
]

export const SEVERITY_RANK: Record<Severity, number> = {critical: 0, warning: 1, info: 2}

/** critical before warning before info; then higher confidence first; then id, for a stable order. */
export function compareFindings(a: Finding, b: Finding): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.confidence - a.confidence || a.id.localeCompare(b.id)
}

/**
 * Runs every rule and ranks the findings.
 *
 * A rule that throws does not stop the run: it becomes an info finding under the rule's own id
 * (so `rcdiag explain` still knows it) with confidence 0 and a title saying the rule could not be
 * evaluated. Info, so a bug in one rule never turns a clean report into a warning, but visible, so a
 * bug never passes for a clean bill of health either.
 */
export function diagnose(evidence: ProbeEvidence, rules: ReadonlyArray<{id: string; rule: Rule}> = RULES): Finding[] {
  const findings: Finding[] = []
  for (const {id, rule} of rules) {
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
      findings.push({...finding, confidence: Math.min(1, Math.max(0, Number.isFinite(finding.confidence) ? finding.confidence : 0))})
    }
  }
  return findings.sort(compareFindings)
}
