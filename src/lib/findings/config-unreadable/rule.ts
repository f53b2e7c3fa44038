import type {NodeEvidence, ProbeEvidence, SkippedCheck} from '../../evidence/types.js'
import type {Finding, Rule} from '../types.js'
import {remedyFor} from '../format.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS
const refusedConfig = (s: SkippedCheck) => s.check === 'config' || /^config\b/i.test(s.command)
const short = (text: string) => (text.length > 120 ? `${text.slice(0, 117)}...` : text)

/** Checks skipped because CONFIG or another command is disabled or denied. */
export const configUnreadable: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const reachable = evidence.nodes.filter((n) => n.reachable)
  // Only what a server refused: what an older server cannot tell at all is no missing permission.
  const refused = (node: NodeEvidence) => node.skipped.filter((s) => s.kind !== 'unsupported')
  const withSkips = reachable.filter((n) => refused(n).length > 0)
  if (withSkips.length === 0) return undefined

  const checks = new Map<string, {commands: Set<string>; nodes: Set<string>; reasons: Set<string>}>()
  for (const node of withSkips) {
    for (const s of refused(node)) {
      const entry = checks.get(s.check) ?? {commands: new Set<string>(), nodes: new Set<string>(), reasons: new Set<string>()}
      entry.commands.add(s.command)
      entry.nodes.add(node.address)
      entry.reasons.add(short(s.reason))
      checks.set(s.check, entry)
    }
  }
  const configRefused = (node: NodeEvidence) => refused(node).some(refusedConfig)
  const refusingConfig = reachable.filter(configRefused)
  const allRefuseConfig = refusingConfig.length === reachable.length

  const lines: string[] = []
  for (const [check, entry] of [...checks.entries()].sort((a, b) => b[1].nodes.size - a[1].nodes.size || a[0].localeCompare(b[0]))) {
    const reasons = [...entry.reasons]
    lines.push(
      `${check} (${[...entry.commands].join(', ')}) skipped on ${entry.nodes.size}/${reachable.length} reachable nodes: ${reasons[0]}` +
        (reasons.length > 1 ? ` (+${reasons.length - 1} other reason(s))` : ''),
    )
  }
  if (allRefuseConfig) {
    lines.push(
      'no node allowed CONFIG: timeout and tcp-keepalive are unknown, so idle-timeout-reconnect and tcp-keepalive-off could not be checked',
    )
  } else if (refusingConfig.length > 0) {
    lines.push(`CONFIG refused on ${refusingConfig.length}/${reachable.length} nodes: their timeout and tcp-keepalive are unknown`)
  }

  return {
    id: 'config-unreadable',
    severity: allRefuseConfig ? 'warning' : 'info',
    confidence: T.confidence,
    title: allRefuseConfig
      ? 'CONFIG is refused on every node: the idle-timeout and keepalive checks could not run'
      : `${checks.size} check(s) skipped on ${withSkips.length} node(s): ${[...checks.keys()].join(', ')}`,
    evidence: lines,
    remedy: remedyFor(ENTRY),
    nodes: withSkips.map((n) => n.address),
    metrics: {
      nodesWithSkippedChecks: withSkips.length,
      checksSkipped: checks.size,
      nodesRefusingConfig: refusingConfig.length,
      reachableNodes: reachable.length,
    },
  }
}
