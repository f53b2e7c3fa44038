/** Small formatting helpers shared by the rules. Pure. */

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
