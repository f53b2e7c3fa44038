import type {NodeEvidence, ProbeEvidence} from '../../evidence/types.js'
import {remedyFor} from '../format.js'
import type {Finding, Rule} from '../types.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS

const KIND_TEXT: Record<NonNullable<NodeEvidence['blocked']>['kind'], string> = {
  busy: 'busy running a script or function (-BUSY)',
  loading: 'loading its dataset (-LOADING)',
  masterdown: 'a replica without its master (-MASTERDOWN)',
  stalled: 'stalled: it accepts connections but answers nothing',
}

/** Nodes that answer only that they cannot serve, or answer nothing. */
export const nodeBlocked: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const blocked = evidence.nodes.filter((n): n is NodeEvidence & {blocked: NonNullable<NodeEvidence['blocked']>} => n.blocked !== undefined)
  if (blocked.length === 0) return undefined
  const named = blocked.map((n) => `${n.address} (${n.role}) is ${KIND_TEXT[n.blocked.kind]}`)
  return {
    id: 'node-blocked',
    severity: 'critical',
    confidence: T.confidence,
    title: `Stuck node${blocked.length === 1 ? '' : 's'}: ${named.join('; ')}`,
    evidence: blocked.map((n) => `${n.address}: ${n.blocked.reason}`),
    remedy: remedyFor(ENTRY, `Here: ${blocked.map((n) => `${n.address} (${n.blocked.kind})`).join(', ')}.`),
    nodes: blocked.map((n) => n.address),
    metrics: Object.fromEntries(
      (['busy', 'loading', 'masterdown', 'stalled'] as const).map((kind) => [
        `nodes${kind[0].toUpperCase()}${kind.slice(1)}`,
        blocked.filter((n) => n.blocked.kind === kind).length,
      ]),
    ),
  }
}
