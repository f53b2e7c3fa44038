import {expectString, lines} from './reply.js'
import type {CommandStat, InfoSections, LatencyPercentiles} from './types.js'

/** Fields before any "# Section" header (not sent by Redis 7, but proxies vary) land in section "". */
export function parseInfo(text: string): InfoSections {
  const body = expectString(text, 'INFO')
  const sections: InfoSections = {}
  let current = ''
  for (const line of lines(body)) {
    if (line.startsWith('#')) {
      current = line.slice(1).trim().toLowerCase()
      sections[current] ??= {}
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0) continue // not a field; ignore rather than fail the whole reply
    // Values may contain ':' (executable, addresses), so split at the first one only.
    ;(sections[current] ??= {})[line.slice(0, colon)] = line.slice(colon + 1).trim()
  }
  return sections
}

/** "calls=3,usec=10,usec_per_call=3.33" → {calls: "3", ...}. */
function fieldList(value: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of value.split(',')) {
    const eq = part.indexOf('=')
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1)
  }
  return out
}

const num = (value: string | undefined): number => {
  const n = value === undefined || value === '' ? Number.NaN : Number(value)
  return Number.isFinite(n) ? n : 0
}

/** Keys like "cmdstat_cluster|slots" → "cluster|slots"; fields Redis 6 lacks count as 0. */
export function parseCommandstats(section: Record<string, string> | undefined): Record<string, CommandStat> {
  const out: Record<string, CommandStat> = {}
  for (const [key, value] of Object.entries(section ?? {})) {
    if (!key.startsWith('cmdstat_')) continue
    const f = fieldList(value)
    out[key.slice('cmdstat_'.length)] = {
      calls: num(f.calls),
      usec: num(f.usec),
      usecPerCall: num(f.usec_per_call),
      rejectedCalls: num(f.rejected_calls),
      failedCalls: num(f.failed_calls),
    }
  }
  return out
}

/** "errorstat_MOVED:count=3" → {MOVED: 3}. */
export function parseErrorstats(section: Record<string, string> | undefined): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [key, value] of Object.entries(section ?? {})) {
    if (key.startsWith('errorstat_')) out[key.slice('errorstat_'.length)] = num(fieldList(value).count)
  }
  return out
}

/**
 * "latency_percentiles_usec_hmget:p50=1.003,p99=3.007,p99.9=7.007" → {hmget: {p50, p99, p999}}.
 * Dots are dropped from percentile names (p99.9 → p999, p99.99 → p9999); values stay in µs.
 */
export function parseLatencystats(section: Record<string, string> | undefined): Record<string, LatencyPercentiles> {
  const prefix = 'latency_percentiles_usec_'
  const out: Record<string, LatencyPercentiles> = {}
  for (const [key, value] of Object.entries(section ?? {})) {
    if (!key.startsWith(prefix)) continue
    const percentiles: LatencyPercentiles = {}
    for (const [name, raw] of Object.entries(fieldList(value))) {
      const n = Number(raw)
      if (raw !== '' && Number.isFinite(n)) percentiles[name.replaceAll('.', '')] = n
    }
    out[key.slice(prefix.length)] = percentiles
  }
  return out
}

/** A numeric INFO field, or undefined when absent or not a number (e.g. "used_memory_human"). */
export function infoNumber(sections: InfoSections | undefined, section: string, field: string): number | undefined {
  const raw = sections?.[section.toLowerCase()]?.[field]
  if (raw === undefined || raw.trim() === '') return undefined
  const n = Number(raw)
  return Number.isFinite(n) ? n : undefined
}
