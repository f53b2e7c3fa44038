import {RCDIAG_KEY_PREFIX} from '../shared/constants.js'
import {usageError} from '../shared/errors.js'
import {CLIENT_MODELS, type ClientModel, type ReplaySettings} from './types.js'

export const REPLAY_DEFAULTS = {
  concurrency: 20,
  fields: 5,
  keys: 1000,
  prefix: RCDIAG_KEY_PREFIX,
  idleMs: 350_000,
  cycles: 3,
  steadyBursts: 3,
  burst: 50,
  steadyPauseMs: 200,
  rate: 0,
  durationMs: 0,
} as const

export type ReplayInput = Partial<Omit<ReplaySettings, 'clients' | 'keyTtlSec' | 'cleanup'>> & {
  clients?: string[]
  keyTtlSec?: number
  cleanup?: boolean
}

/** Each setting a user can give, and the `rcdiag replay` flag it comes from (flags are kebab-case). */
export const SETTING_FLAGS = {
  concurrency: 'concurrency',
  fields: 'fields',
  keys: 'keys',
  prefix: 'prefix',
  keysFrom: 'keys-from',
  idleMs: 'idle',
  cycles: 'cycles',
  steadyBursts: 'steady-bursts',
  burst: 'burst',
  rate: 'rate',
  durationMs: 'duration',
  clients: 'client',
  cleanup: 'cleanup',
} as const satisfies Partial<Record<keyof ReplayInput, string>>

/** The replay's input from parsed flags, by SETTING_FLAGS: no setting is copied by hand. */
export function replayInputFromFlags(flags: Readonly<Record<string, unknown>>): ReplayInput {
  const input: Record<string, unknown> = {}
  for (const [setting, flag] of Object.entries(SETTING_FLAGS)) {
    if (flags[flag] !== undefined) input[setting] = flags[flag]
  }
  return input as ReplayInput
}

/** Defaults, validation and the key TTL, in one place; every number is checked before anything connects. */
export function resolveReplaySettings(input: ReplayInput): ReplaySettings {
  const s = {...REPLAY_DEFAULTS, ...strip(input)}
  const int = (name: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) throw usageError(`--${name} must be an integer from ${min} to ${max}`)
  }
  int('concurrency', s.concurrency, 1, 1000)
  int('fields', s.fields, 1, 1000)
  int('keys', s.keys, 1, 100_000)
  int('cycles', s.cycles, 0, 1000)
  int('steady-bursts', s.steadyBursts, 0, 1000)
  int('burst', s.burst, 1, 10_000_000)
  if (!(s.rate >= 0)) throw usageError('--rate must be zero (no cap) or positive')
  if (!s.prefix || /[*?[\]\s]/.test(s.prefix)) throw usageError('--prefix must be non-empty, without spaces or glob characters')
  const clients = expandClients(input.clients)
  const perModelSec =
    (s.cycles * s.idleMs) / 1000 +
    (1 + s.cycles * (1 + s.steadyBursts)) * burstBoundSec(s) +
    (s.cycles * s.steadyBursts * s.steadyPauseMs) / 1000
  const keyTtlSec = input.keyTtlSec ?? Math.ceil(clients.length * perModelSec + 600)
  return {...s, clients, keyTtlSec, cleanup: input.cleanup ?? true}
}

/** A burst's usual length when not paced: 20 workers x 50 HMGETs on loopback take about half a second. */
const TYPICAL_BURST_MS = 500

/**
 * About how long the whole replay takes (ms), for the plan said before it starts and the time left
 * shown during it: per model a warm-up burst, then per cycle the gap, the post-idle burst and the
 * steady bursts with their pauses; a few seconds to connect, write and remove the keys. --duration
 * caps it.
 */
export function estimateReplayMs(s: ReplaySettings): number {
  const burstMs = s.rate > 0 ? Math.max(TYPICAL_BURST_MS, (1000 * s.concurrency * s.burst) / s.rate) : TYPICAL_BURST_MS
  const perModel = burstMs + s.cycles * (s.idleMs + (1 + s.steadyBursts) * burstMs + s.steadyBursts * s.steadyPauseMs)
  const total = 3000 + s.clients.length * perModel
  return s.durationMs > 0 ? Math.min(total, s.durationMs) : total
}

/** What one burst may take: 5 s, or longer when --rate paces it (concurrency x burst ops at `rate` per second). */
export function burstBoundSec(s: {concurrency: number; burst: number; rate: number}): number {
  return s.rate > 0 ? Math.max(5, (s.concurrency * s.burst) / s.rate) : 5
}

function expandClients(names: string[] | undefined): ClientModel[] {
  if (!names || names.length === 0) return ['ioredis']
  const out: ClientModel[] = []
  for (const name of names.flatMap((n) => n.split(','))) {
    const trimmed = name.trim()
    if (trimmed === 'all') out.push(...CLIENT_MODELS)
    else if ((CLIENT_MODELS as readonly string[]).includes(trimmed)) out.push(trimmed as ClientModel)
    else throw usageError(`--client ${trimmed}: unknown model; use ${CLIENT_MODELS.join(', ')} or all`)
  }
  return [...new Set(out)]
}

function strip<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== undefined && k !== 'clients')) as Partial<T>
}
