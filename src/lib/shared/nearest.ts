/** Suggestions for a mistyped name (a finding id, a command): the nearest known names. */

/**
 * The known ids most like `input`, best first: ids containing it (or contained in it) before the
 * rest, then by edit distance, then in catalog order.
 */
export function nearestIds(input: string, ids: readonly string[], max = 3): string[] {
  const wanted = input
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
  if (!wanted) return []
  return ids
    .map((id, order) => ({id, order, contains: id.includes(wanted) || wanted.includes(id) ? 0 : 1, distance: editDistance(wanted, id)}))
    .sort((a, b) => a.contains - b.contains || a.distance - b.distance || a.order - b.order)
    .slice(0, max)
    .map((candidate) => candidate.id)
}

/** Levenshtein distance: insertions, deletions and substitutions, one each. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]
}
