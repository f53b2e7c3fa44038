/**
 * Every finding rcdiag can report, in catalog order (`rcdiag explain` lists them so).
 * Adding a finding: a folder under src/lib/findings/<id>/ (catalog.ts, rule.ts, rule.test.ts, index.ts)
 * and one line here. Loaded in parallel; each folder's index.ts is its whole module.
 */
import type {FindingModule} from './types.js'

const modules = await Promise.all([
  import('./idle-timeout-reconnect/index.js'),
  import('./topology-refresh-storm/index.js'),
  import('./connection-churn/index.js'),
  import('./slow-commands/index.js'),
  import('./server-latency-events/index.js'),
  import('./fork-latency/index.js'),
  import('./cluster-state-fail/index.js'),
  import('./announced-addresses/index.js'),
  import('./node-blocked/index.js'),
  import('./slot-map-disagreement/index.js'),
  import('./slot-migration/index.js'),
  import('./recent-failover/index.js'),
  import('./role-disagreement/index.js'),
  import('./node-imbalance/index.js'),
  import('./client-limit/index.js'),
  import('./memory-pressure/index.js'),
  import('./tcp-keepalive-off/index.js'),
  import('./network-rtt/index.js'),
  import('./client-side-latency/index.js'),
  import('./mixed-versions/index.js'),
  import('./config-unreadable/index.js'),
])

export const FINDINGS: readonly FindingModule[] = Object.freeze(modules.map((module) => module.default))

/** Every finding id, in catalog order. */
export const FINDING_IDS: readonly string[] = Object.freeze(FINDINGS.map((finding) => finding.id))

const BY_ID = new Map(FINDINGS.map((finding) => [finding.id, finding]))

export const isFindingId = (id: string): boolean => BY_ID.has(id)

/** The finding with this id, or undefined: an unknown id is the caller's to report. */
export const findingById = (id: string): FindingModule | undefined => BY_ID.get(id)
