import type {NodeEvidence, ProbeEvidence} from '../../evidence/types.js'
import type {Finding, Rule} from '../types.js'
import {mb, remedyFor, round} from '../format.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS
const GIB = 1024 ** 3
const MAX_NODE_LINES = 6

interface Fork {
  node: NodeEvidence
  /** the longest of latest_fork_usec and a LATENCY LATEST fork event, ms */
  ms: number
  infoMs: number
  eventMaxMs: number
  saving: boolean
  rewriting: boolean
}

/**
 * Persistence forks (BGSAVE, BGREWRITEAOF, full replica sync): the main thread stops while the page
 * tables are copied. Info for any fork, warning from `warningMs`, critical from `criticalMs`.
 */
export const forkLatency: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const forks: Fork[] = []
  for (const node of evidence.nodes) {
    if (!node.reachable) continue
    const infoMs = (node.stats.latestForkUsec ?? 0) / 1000
    const eventMaxMs = Math.max(0, ...node.latencyLatest.filter((e) => e.event === 'fork').map((e) => e.maxMs))
    const saving = (node.stats.rdbBgsaveInProgress ?? 0) > 0
    const rewriting = (node.stats.aofRewriteInProgress ?? 0) > 0
    if (infoMs > 0 || eventMaxMs > 0 || saving || rewriting) {
      forks.push({node, ms: Math.max(infoMs, eventMaxMs), infoMs, eventMaxMs, saving, rewriting})
    }
  }
  if (forks.length === 0) return undefined

  forks.sort((a, b) => b.ms - a.ms || a.node.address.localeCompare(b.node.address))
  const worst = forks[0]
  const severity = worst.ms >= T.criticalMs ? 'critical' : worst.ms >= T.warningMs ? 'warning' : 'info'
  const inProgress = forks.filter((f) => f.saving || f.rewriting)

  const lines: string[] = []
  for (const f of forks.slice(0, MAX_NODE_LINES)) {
    const parts = [
      `${f.node.address} (${f.node.role}): last fork ${round(f.infoMs, 2)} ms (latest_fork_usec ${f.node.stats.latestForkUsec ?? 0})`,
    ]
    if (f.eventMaxMs > 0) parts.push(`LATENCY LATEST fork max ${f.eventMaxMs} ms`)
    const used = f.node.stats.usedMemory
    if (used !== undefined) {
      parts.push(`used memory ${mb(used)} MB`)
      if (used >= T.perGibMinBytes && f.ms > 0) parts.push(`${round(f.ms / (used / GIB))} ms/GiB`)
    }
    if (f.saving) parts.push('BGSAVE in progress')
    if (f.rewriting) parts.push('AOF rewrite in progress')
    const persistence = [
      typeof f.node.config.save === 'string' ? `save "${f.node.config.save}"` : undefined,
      typeof f.node.config.appendonly === 'string' ? `appendonly ${f.node.config.appendonly}` : undefined,
    ].filter(Boolean)
    if (persistence.length > 0) {
      const off = f.node.config.save === '' && f.node.config.appendonly === 'no'
      parts.push(persistence.join(', ') + (off ? ' (no persistence: the fork served a full sync to a replica)' : ''))
    }
    lines.push(parts.join('; '))
  }
  if (forks.length > MAX_NODE_LINES) lines.push(`and ${forks.length - MAX_NODE_LINES} more node(s) that forked`)
  lines.push('fork time grows with used memory (page tables are copied); the server answers nothing while it forks')
  const slowHost = forks.find(
    (f) => (f.node.stats.usedMemory ?? 0) >= T.perGibMinBytes && f.ms / ((f.node.stats.usedMemory ?? 1) / GIB) >= T.slowPerGibMs,
  )
  if (slowHost)
    lines.push(
      `${slowHost.node.address} forks slowly for its size (>= ${T.slowPerGibMs} ms/GiB; bare metal forks at ~10-20 ms/GiB): check transparent huge pages and the hypervisor`,
    )

  const title =
    severity === 'info'
      ? `Persistence fork on ${worst.node.address} took ${round(worst.ms, 2)} ms (under ${T.warningMs} ms: no stall worth chasing)` +
        (inProgress.length > 0 ? `; ${inProgress.length} save/rewrite in progress` : '')
      : `Persistence fork stalled ${worst.node.address} for ${round(worst.ms)} ms` +
        (worst.node.stats.usedMemory !== undefined ? ` (${mb(worst.node.stats.usedMemory)} MB used)` : '') +
        (inProgress.length > 0 ? `; ${inProgress.length} save/rewrite in progress` : '')

  const metrics: Record<string, number> = {
    maxForkMs: round(worst.ms, 3),
    nodesForked: forks.length,
    savesInProgress: forks.filter((f) => f.saving).length,
    aofRewritesInProgress: forks.filter((f) => f.rewriting).length,
  }
  if (worst.node.stats.usedMemory !== undefined) metrics.usedMemoryBytes = worst.node.stats.usedMemory

  return {
    id: 'fork-latency',
    severity,
    confidence: severity === 'critical' ? T.criticalConfidence : severity === 'warning' ? T.warningConfidence : T.infoConfidence,
    title,
    evidence: lines,
    remedy: remedyFor(
      ENTRY,
      severity === 'info'
        ? undefined
        : `Here: ${worst.node.address} (${worst.node.role}) forked for ${round(worst.ms)} ms; move persistence off it if it is a master.`,
    ),
    nodes: forks.map((f) => f.node.address),
    metrics,
  }
}
