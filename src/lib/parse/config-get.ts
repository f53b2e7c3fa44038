import {pairs, text} from './reply.js'

/** CONFIG GET: flat [k, v, k, v] with RESP2 (a plain object under ioredis' "resp3" mapping). */
export function parseConfigGet(reply: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of pairs(reply, 'CONFIG GET')) out[key] = text(value)
  return out
}

// Redis' memtoull units: k/m/g are powers of 1000, kb/mb/gb powers of 1024, case-insensitive.
const UNITS: Record<string, number> = {b: 1, k: 1e3, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3}

/**
 * "300" → 300, "100mb" → 104857600, "-1" → -1. Anything else (yes/no, lists, percentages) is
 * undefined: the caller decides what a non-numeric setting means.
 */
export function configNumber(value: string | undefined): number | undefined {
  if (typeof value !== 'string') return undefined
  const trimmed = value.trim()
  if (trimmed === '') return undefined
  const plain = Number(trimmed)
  if (Number.isFinite(plain)) return plain
  const match = /^(-?\d+)\s*([a-z]+)$/i.exec(trimmed)
  const unit = match ? UNITS[match[2].toLowerCase()] : undefined
  return match && unit !== undefined ? Number(match[1]) * unit : undefined
}
