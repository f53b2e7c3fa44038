/** Small formatting helpers shared by the rules. Pure. */
import type {ClientGroup} from '../evidence/types.js'

/** [1, 2, 3, 7, 9, 10] → ["1-3", "7", "9-10"]; duplicates and order do not matter. */
export function slotRanges(slots: number[]): string[] {
  const sorted = [...new Set(slots)].sort((a, b) => a - b)
  const out: string[] = []
  if (sorted.length === 0) return out
  let start = sorted[0]
  let prev = sorted[0]
  for (const slot of [...sorted.slice(1), Number.NaN]) {
    if (slot === prev + 1) {
      prev = slot
      continue
    }
    out.push(start === prev ? `${start}` : `${start}-${prev}`)
    start = slot
    prev = slot
  }
  return out
}

/** A number for evidence text and metrics: `digits` decimals, no trailing noise. */
export const round = (n: number, digits = 1): number => Number(n.toFixed(digits))

/** Milliseconds: sub-millisecond values keep 3 decimals (0.039 ms), the rest 1. */
export const ms = (n: number): number => Number(n.toFixed(n < 1 ? 3 : 1))

/** Bytes as MiB, 1 decimal. */
export const mb = (bytes: number): number => round(bytes / 1024 ** 2)

/** A finding's remedy: the measured specifics first, then its catalog entry's remedy. */
export function remedyFor(entry: {remedy: string}, ...specifics: Array<string | undefined>): string {
  return [...specifics.filter((s): s is string => Boolean(s)), entry.remedy].join(' ')
}

/**
 * Who a group of connections is: "redis-py 5.0.1 on 10.0.0.5 (name app)". The library is named only
 * where the client said it (CLIENT SETINFO, Redis 7.2+ and Valkey).
 */
export function describeClientGroup(group: Pick<ClientGroup, 'host' | 'name' | 'libName' | 'libVer'>): string {
  const lib = group.libName ? `${group.libName}${group.libVer ? ` ${group.libVer}` : ''}` : 'clients'
  return `${lib} on ${group.host}${group.name ? ` (name ${group.name})` : ''}`
}

/** The same groups seen on several nodes, as one: counts added up, with how many nodes. */
export function mergeClientGroups<K extends 'count' | 'newCount'>(
  nodes: ReadonlyArray<{groups: readonly ClientGroup[]}>,
  by: K,
): Array<ClientGroup & {nodes: number}> {
  const merged = new Map<string, ClientGroup & {nodes: number}>()
  for (const {groups} of nodes) {
    for (const g of groups) {
      const key = [g.host, g.name, g.libName, g.libVer].join('\u0000')
      const seen = merged.get(key)
      if (seen) {
        seen.count += g.count
        seen.newCount += g.newCount
        seen.idleMax = Math.max(seen.idleMax, g.idleMax)
        seen.nodes++
      } else merged.set(key, {...g, nodes: 1})
    }
  }
  return [...merged.values()].sort((a, b) => b[by] - a[by])
}
