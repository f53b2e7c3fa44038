import type {NodeEvidence, ProbeEvidence} from '../../evidence/types.js'
import type {Finding, Rule} from '../types.js'
import {mb, remedyFor, round} from '../format.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS

interface Pressure {
  node: NodeEvidence
  evicted: number
  evictedPerSec: number
  /** used_memory / maxmemory when maxmemory > 0 */
  fullness?: number
  fragmented: boolean
}

/**
 * Memory pressure per node: evictions (since start, or during a sample), used memory near maxmemory,
 * or heavy fragmentation on an instance big enough for the ratio to mean something. Always a warning.
 */
export const memoryPressure: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const rate = (address: string) => evidence.sample?.nodes.find((s) => s.address === address)?.rates.evictedKeysPerSec ?? 0
  const found: Pressure[] = []
  for (const node of evidence.nodes) {
    if (!node.reachable) continue
    const s = node.stats
    const maxmemory = typeof node.config.maxmemory === 'number' ? node.config.maxmemory : 0
    const fullness = maxmemory > 0 && s.usedMemory !== undefined ? s.usedMemory / maxmemory : undefined
    const fragmented = (s.memFragmentationRatio ?? 0) >= T.fragmentationRatio && (s.usedMemoryRss ?? 0) >= T.fragmentationMinRssBytes
    const p: Pressure = {node, evicted: s.evictedKeys ?? 0, evictedPerSec: rate(node.address), fullness, fragmented}
    if (p.evicted > 0 || p.evictedPerSec > 0 || (fullness ?? 0) >= T.warningFraction || fragmented) found.push(p)
  }
  if (found.length === 0) return undefined

  found.sort(
    (a, b) =>
      b.evictedPerSec - a.evictedPerSec ||
      (b.fullness ?? 0) - (a.fullness ?? 0) ||
      b.evicted - a.evicted ||
      a.node.address.localeCompare(b.node.address),
  )
  const lines = found.map((p) => {
    const s = p.node.stats
    const maxmemory = p.node.config.maxmemory
    const parts: string[] = []
    if (s.usedMemory !== undefined) {
      parts.push(
        p.fullness !== undefined
          ? `used ${mb(s.usedMemory)} MB of maxmemory ${mb(maxmemory as number)} MB (${round(p.fullness * 100)}%)`
          : `used ${mb(s.usedMemory)} MB, no maxmemory`,
      )
    }
    if (typeof p.node.config['maxmemory-policy'] === 'string') parts.push(`policy ${p.node.config['maxmemory-policy']}`)
    if (p.evicted > 0) parts.push(`${p.evicted} key(s) evicted since start`)
    if (p.evictedPerSec > 0) parts.push(`${round(p.evictedPerSec, 2)} evicted/s during the sample`)
    if (p.fragmented) parts.push(`fragmentation ratio ${s.memFragmentationRatio} (RSS ${mb(s.usedMemoryRss ?? 0)} MB)`)
    return `${p.node.address} (${p.node.role}): ${parts.join(', ')}`
  })

  const top = found[0]
  const evicting = found.filter((p) => p.evictedPerSec > 0)
  const evicted = found.filter((p) => p.evicted > 0)
  const full = found.filter((p) => (p.fullness ?? 0) >= T.warningFraction)
  const fragmented = found.filter((p) => p.fragmented)
  const s = top.node.stats
  let title: string
  if (top.evictedPerSec > 0)
    title =
      `Evicting keys: ${round(top.evictedPerSec, 2)}/s on ${top.node.address}` +
      (top.fullness !== undefined ? ` at ${round(top.fullness * 100)}% of maxmemory` : '')
  else if ((top.fullness ?? 0) >= T.warningFraction) {
    title =
      `${top.node.address} is at ${round(top.fullness! * 100)}% of maxmemory (${mb(s.usedMemory ?? 0)}/${mb(top.node.config.maxmemory as number)} MB)` +
      (top.evicted > 0 ? `, ${top.evicted} key(s) evicted since start` : '')
  } else if (top.evicted > 0) title = `${top.node.address} evicted ${top.evicted} key(s) since start`
  else title = `Memory fragmented on ${top.node.address}: ratio ${s.memFragmentationRatio} with ${mb(s.usedMemoryRss ?? 0)} MB RSS`

  const hints: string[] = []
  if (evicted.length > 0 || full.length > 0)
    hints.push('Each write near maxmemory evicts inside the command, and evicted keys come back as cache misses.')
  if (fragmented.length > 0)
    hints.push('For fragmentation: `CONFIG SET activedefrag yes` (jemalloc builds), or restart the node after a failover.')

  return {
    id: 'memory-pressure',
    severity: 'warning',
    confidence:
      evicting.length > 0
        ? T.evictingConfidence
        : full.length > 0 || evicted.length > 0
          ? T.fullOrEvictedConfidence
          : T.fragmentedConfidence,
    title,
    evidence: lines,
    remedy: remedyFor(ENTRY, hints.length > 0 ? `Here: ${hints.join(' ')}` : undefined),
    nodes: found.map((p) => p.node.address),
    metrics: {
      nodesEvicting: evicting.length,
      evictedKeys: found.reduce((sum, p) => sum + p.evicted, 0),
      evictedKeysPerSec: round(
        found.reduce((sum, p) => sum + p.evictedPerSec, 0),
        2,
      ),
      nodesNearMaxmemory: full.length,
      maxMemoryFraction: round(Math.max(0, ...found.map((p) => p.fullness ?? 0)), 3),
      nodesFragmented: fragmented.length,
    },
  }
}
