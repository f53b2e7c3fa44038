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

type Blocked = NodeEvidence & {blocked: NonNullable<NodeEvidence['blocked']>}

/** Nodes that answer only that they cannot serve, or answer nothing: when probed, or during a replay's phases. */
export const nodeBlocked: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const blocked = evidence.nodes.filter((n): n is Blocked => n.blocked !== undefined)
  const stalls = replayStalls(evidence, new Set(blocked.map((n) => n.address)))
  if (blocked.length === 0 && stalls.length === 0) return undefined
  const roleOf = (address: string) => evidence.nodes.find((n) => n.address === address)?.role ?? 'unknown'
  const named = [
    ...blocked.map((n) => `${n.address} (${n.role}) is ${KIND_TEXT[n.blocked.kind]}`),
    ...stalls.map((s) => `${s.node} (${roleOf(s.node)}) stopped answering during the replay`),
  ]
  const count = blocked.length + stalls.length
  return {
    id: 'node-blocked',
    severity: 'critical',
    confidence: T.confidence,
    title: `Stuck node${count === 1 ? '' : 's'}: ${named.join('; ')}`,
    evidence: [
      ...blocked.map((n) => `${n.address}: ${n.blocked.reason}`),
      ...stalls.map(
        (s) =>
          `${s.node}: answered nothing for at least ${(s.silentMs / 1000).toFixed(1)} s during the replay (${s.where.join(', ')}); ` +
          'those phases ended early and are left out of the latency comparison',
      ),
    ],
    remedy: remedyFor(
      ENTRY,
      `Here: ${[...blocked.map((n) => `${n.address} (${n.blocked.kind})`), ...stalls.map((s) => `${s.node} (stalled)`)].join(', ')}.`,
    ),
    nodes: [...blocked.map((n) => n.address), ...stalls.map((s) => s.node)],
    metrics: {
      ...Object.fromEntries(
        (['busy', 'loading', 'masterdown', 'stalled'] as const).map((kind) => [
          `nodes${kind[0].toUpperCase()}${kind.slice(1)}`,
          blocked.filter((n) => n.blocked.kind === kind).length + (kind === 'stalled' ? stalls.length : 0),
        ]),
      ),
      ...(evidence.replay ? {replayPhasesEndedEarly: evidence.replay.runs.reduce((sum, r) => sum + r.stalls.length, 0)} : {}),
    },
  }
}

/** Nodes that stalled during a replay's phases (and were not already stuck when probed), with where. */
function replayStalls(evidence: ProbeEvidence, known: Set<string>): Array<{node: string; silentMs: number; where: string[]}> {
  const byNode = new Map<string, {node: string; silentMs: number; where: string[]}>()
  for (const run of evidence.replay?.runs ?? []) {
    for (const stall of run.stalls) {
      if (known.has(stall.node)) continue
      const entry = byNode.get(stall.node) ?? {node: stall.node, silentMs: 0, where: []}
      entry.silentMs = Math.max(entry.silentMs, stall.silentMs)
      entry.where.push(`${run.client} ${stall.phase}${stall.cycle ? ` ${stall.cycle}` : ''}`)
      byNode.set(stall.node, entry)
    }
  }
  return [...byNode.values()]
}
