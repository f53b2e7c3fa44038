/**
 * Key patterns: "HMGET user:123:profile name" and "HMGET user:456:profile name" are the same
 * workload, so both become "HMGET user:{n}:profile name". Works on escaped arguments (see
 * escape.ts), keeping escape sequences such as \x1b intact. Pure.
 */

/** Commands whose second word is a subcommand: "CLUSTER SLOTS", "CONFIG GET". */
const CONTAINERS = new Set([
  'ACL',
  'CLIENT',
  'CLUSTER',
  'COMMAND',
  'CONFIG',
  'DEBUG',
  'FUNCTION',
  'LATENCY',
  'MEMORY',
  'MODULE',
  'OBJECT',
  'PUBSUB',
  'SCRIPT',
  'SLOWLOG',
  'XGROUP',
  'XINFO',
])

/** Writes whose arguments after the key are values: only the key is kept. */
const WRITE_KEY_THEN_VALUES = new Set([
  'APPEND',
  'GEOADD',
  'GETSET',
  'HMSET',
  'HSET',
  'HSETNX',
  'LINSERT',
  'LPUSH',
  'LPUSHX',
  'LREM',
  'LSET',
  'PFADD',
  'PSETEX',
  'PUBLISH',
  'RESTORE',
  'RPUSH',
  'RPUSHX',
  'SADD',
  'SET',
  'SETBIT',
  'SETEX',
  'SETNX',
  'SETRANGE',
  'SMOVE',
  'SPUBLISH',
  'SREM',
  'XADD',
  'ZADD',
  'ZREM',
])
/** Writes taking key value pairs. */
const WRITE_PAIRS = new Set(['MSET', 'MSETNX'])
/** Scripts: script or sha, numkeys, keys..., then values. */
const SCRIPTS = new Set(['EVAL', 'EVALSHA', 'EVAL_RO', 'EVALSHA_RO', 'FCALL', 'FCALL_RO'])

const ELIDED = '…'
/** Arguments shown in a pattern of a read command before the rest is elided. */
const MAX_PATTERN_ARGS = 8

const ESCAPE_SEQUENCE = /\\(?:x[0-9a-f]{2}|u\{[0-9a-f]+\}|[ntr\\])/g
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi
const DELIMITER = /([:./|#{}\-_=,;@ [\]()<>'"])/
const HEX = /^(0x)?[0-9a-f]{4,}$/i
const TOKEN_ID = /^[a-z0-9]{12,}$/i

/** "HMGET", "CLUSTER SLOTS", "?" for an empty entry. */
export function commandName(args: string[]): string {
  const first = (args[0] ?? '?').toUpperCase()
  return CONTAINERS.has(first) && args[1] ? `${first} ${args[1].toUpperCase()}` : first
}

/** The command followed by its normalised arguments; values of writes become "…". */
export function entryPattern(args: string[]): string {
  const name = commandName(args)
  const rest = args.slice(name.includes(' ') ? 2 : 1).filter((arg) => !/^\.\.\. \(\d+ more arguments\)$/.test(arg))
  const words = [name, ...collapseRepeats(patternArgs(name, rest))]
  return words.join(' ')
}

/** One argument with its variable parts replaced: numbers {n}, hex {hex}, UUIDs {uuid}, tokens {id}. */
export function normalizeArg(escaped: string): string {
  let out = ''
  let last = 0
  for (const match of escaped.matchAll(ESCAPE_SEQUENCE)) {
    out += normalizePlain(escaped.slice(last, match.index)) + match[0]
    last = match.index + match[0].length
  }
  return out + normalizePlain(escaped.slice(last))
}

function patternArgs(name: string, rest: string[]): string[] {
  if (WRITE_KEY_THEN_VALUES.has(name)) return rest.length > 1 ? [normalizeArg(rest[0]), ELIDED] : rest.map(normalizeArg)
  if (WRITE_PAIRS.has(name)) return rest.map((arg, i) => (i % 2 === 0 ? normalizeArg(arg) : ELIDED))
  if (SCRIPTS.has(name)) {
    const numKeys = Number(rest[1] ?? 0)
    const keyCount = Number.isInteger(numKeys) && numKeys >= 0 ? numKeys : 0
    const kept = rest.slice(0, 2 + keyCount).map(normalizeArg)
    return rest.length > kept.length ? [...kept, ELIDED] : kept
  }
  const kept = rest.slice(0, MAX_PATTERN_ARGS).map(normalizeArg)
  return rest.length > MAX_PATTERN_ARGS ? [...kept, ELIDED] : kept
}

/** "DEL k:{n} k:{n} k:{n}" → "DEL k:{n} ×3" (runs of three or more); "… …" → "…". */
function collapseRepeats(words: string[]): string[] {
  const out: string[] = []
  let run = 0
  for (let i = 0; i < words.length; i++) {
    run++
    if (words[i + 1] === words[i]) continue
    if (words[i] === ELIDED) out.push(ELIDED)
    else if (run >= 3) out.push(`${words[i]} ×${run}`)
    else out.push(...Array.from({length: run}, () => words[i]))
    run = 0
  }
  return out
}

function normalizePlain(text: string): string {
  if (text === '') return text
  if (NUMBER.test(text)) return '{n}'
  const parts = text.replace(UUID, '{uuid}').split(DELIMITER)
  return parts.map((part, i) => (i % 2 === 1 ? part : normalizeSegment(part))).join('')
}

function normalizeSegment(segment: string): string {
  if (segment === '') return segment
  if (/^\d+$/.test(segment)) return '{n}'
  if (HEX.test(segment) && /\d/.test(segment) && /[a-f]/i.test(segment.replace(/^0x/i, ''))) return '{hex}'
  if (TOKEN_ID.test(segment) && /\d/.test(segment)) return '{id}'
  return segment.replace(/\d+/g, '{n}')
}
