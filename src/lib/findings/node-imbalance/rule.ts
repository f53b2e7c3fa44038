import type {ProbeEvidence} from '../../evidence/types.js'
import type {Finding, Rule} from '../types.js'
import {median} from '../../shared/stats.js'
import {mb, remedyFor, round} from '../format.js'
import {ENTRY, THRESHOLDS} from './catalog.js'

const T = THRESHOLDS
/** ops/s for people: whole numbers from 100 on */
const opsText = (n: number) => String(n >= 100 ? Math.round(n) : round(n))
/** "18 x", "2.5 x"; "far above" when the others are (nearly) idle */
const ratioText = (value: number, others: number) =>
  others < 1 ? undefined : `${value / others >= 10 ? Math.round(value / others) : round(value / others)} x`

/** The value furthest above the median of the others: [index, the others' median]. */
function hottest(values: number[]): {index: number; others: number} {
  let best = {index: -1, others: 0, excess: -Infinity}
  values.forEach((value, index) => {
    const others = median(values.filter((_, i) => i !== index))
    if (value - others > best.excess) best = {index, others, excess: value - others}
  })
  return {index: best.index, others: best.others}
}

/**
 * One master carries far more load (sampled ops/s) or memory than the other masters: a hot slot or key.
 * Compared with the median of the *other* masters, so two masters compare with each other.
 */
export const nodeImbalance: Rule = (evidence: ProbeEvidence): Finding | undefined => {
  const masters = evidence.nodes.filter((n) => n.reachable && n.role === 'master')
  if (masters.length < 2) return undefined

  // Load: needs a sample covering at least two masters.
  const sampled = evidence.sample
    ? masters
        .map((node) => ({node, ops: evidence.sample!.nodes.find((s) => s.address === node.address)?.rates.opsPerSec}))
        .filter((m): m is {node: (typeof masters)[number]; ops: number} => typeof m.ops === 'number')
    : []
  let ops: {address: string; ops: number; others: number} | undefined
  if (sampled.length >= 2) {
    const {index, others} = hottest(sampled.map((m) => m.ops))
    const hot = sampled[index]
    if (hot.ops >= T.minOpsPerSec && hot.ops >= T.opsRatio * others) ops = {address: hot.node.address, ops: hot.ops, others}
  }

  // Memory: from the probe itself.
  const sized = masters.filter((n) => typeof n.stats.usedMemory === 'number')
  let memory: {address: string; bytes: number; others: number} | undefined
  if (sized.length >= 2) {
    const {index, others} = hottest(sized.map((n) => n.stats.usedMemory as number))
    const hot = sized[index]
    const bytes = hot.stats.usedMemory as number
    if (bytes >= T.memoryRatio * others && bytes - others >= T.minMemoryDiffBytes) memory = {address: hot.address, bytes, others}
  }

  if (!ops && !memory) return undefined

  const lines: string[] = []
  if (ops) {
    const ratio = ratioText(ops.ops, ops.others)
    lines.push(
      ratio
        ? `${ops.address} serves ${opsText(ops.ops)} ops/s, ${ratio} the median of the other masters (${opsText(ops.others)} ops/s)`
        : `${ops.address} serves ${opsText(ops.ops)} ops/s while the other masters are idle (median ${opsText(ops.others)} ops/s)`,
    )
  }
  if (memory) {
    lines.push(
      `${memory.address} uses ${mb(memory.bytes)} MB, ${round(memory.bytes / Math.max(1, memory.others))} x the median of the other masters (${mb(memory.others)} MB), ${mb(memory.bytes - memory.others)} MB more`,
    )
  }
  if (sampled.length > 0) {
    lines.push(
      `ops/s per master over the ${round((evidence.sample?.durationMs ?? 0) / 1000)} s sample: ${[...sampled]
        .sort((a, b) => b.ops - a.ops)
        .map((m) => `${m.node.address} ${opsText(m.ops)}`)
        .join(', ')}`,
    )
  }
  if (sized.length > 0) {
    lines.push(
      `used memory per master: ${[...sized]
        .sort((a, b) => (b.stats.usedMemory as number) - (a.stats.usedMemory as number))
        .map((n) => `${n.address} ${mb(n.stats.usedMemory as number)} MB`)
        .join(', ')}`,
    )
  }

  const hotAddress = ops?.address ?? memory!.address
  const title = ops
    ? `Hot node: ${ops.address} serves ${opsText(ops.ops)} ops/s, ${ratioText(ops.ops, ops.others) ?? 'far above'} the other masters (median ${opsText(ops.others)} ops/s)` +
      (memory && memory.address === ops.address ? ` and holds ${round(memory.bytes / Math.max(1, memory.others))} x their memory` : '')
    : `Memory skew: ${memory!.address} uses ${mb(memory!.bytes)} MB, ${round(memory!.bytes / Math.max(1, memory!.others))} x the other masters (median ${mb(memory!.others)} MB)`

  const metrics: Record<string, number> = {masters: masters.length}
  if (ops) Object.assign(metrics, {hotOpsPerSec: ops.ops, othersMedianOpsPerSec: ops.others})
  if (memory) Object.assign(metrics, {hotUsedMemoryBytes: memory.bytes, othersMedianUsedMemoryBytes: memory.others})

  return {
    id: 'node-imbalance',
    severity: 'warning',
    confidence: ops ? T.opsConfidence : T.memoryConfidence,
    title,
    evidence: lines,
    remedy: remedyFor(
      ENTRY,
      `Here: look for hot keys on ${hotAddress} (\`redis-cli --hotkeys\` against that node needs an LFU maxmemory-policy; \`--bigkeys\` / \`--memkeys\` for memory; \`rcdiag slowlog\` for its slow patterns).`,
    ),
    nodes: [...new Set([ops?.address, memory?.address].filter((a): a is string => Boolean(a)))],
    metrics,
  }
}
