/** Small formatting helpers shared by rules. Pure. */

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
