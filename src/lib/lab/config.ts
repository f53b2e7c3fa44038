import {usageError} from '../shared/errors.js'

/**
 * Extra redis.conf directives for a lab: validation, tokenising (as redis-server does), and the
 * redaction of secrets before options are recorded.
 */

/** Directives the lab sets itself: overriding them would break it or make the state file lie. */
const MANAGED: Record<string, string> = {
  port: 'use --port',
  'tls-port': 'use --port',
  bind: 'labs listen on 127.0.0.1 only',
  dir: 'each node gets its own directory',
  logfile: 'each node logs to <dir>/redis.log',
  daemonize: 'the lab tracks its servers by PID',
  include: 'pass the directives themselves',
  'cluster-enabled': 'use --standalone for a single server',
  'cluster-config-file': 'managed by the lab',
  'cluster-port': 'the bus port is always port + 10000',
  timeout: 'use --timeout',
  'tcp-keepalive': 'use --tcp-keepalive',
  'cluster-node-timeout': 'use --cluster-node-timeout',
}

const SECRET_KEYS = /pass|auth|^user$/i

/** `key=value` (split at the first '=') to a validated pair. */
export function parseConfigFlag(raw: string): [string, string] {
  const eq = raw.indexOf('=')
  if (eq <= 0) throw usageError(`--config ${JSON.stringify(raw)}: expected key=value, e.g. --config maxclients=20`)
  const pair: [string, string] = [raw.slice(0, eq).trim(), raw.slice(eq + 1).trim()]
  validateConfigPair(pair)
  return pair
}

export function validateConfigPair([key, value]: [string, string]): void {
  if (!/^[a-z][a-z0-9-]*$/i.test(key)) throw usageError(`config: invalid directive name ${JSON.stringify(key)}`)
  const why = MANAGED[key.toLowerCase()]
  if (why) throw usageError(`config: ${key} is managed by the lab (${why})`)
  if (/[\r\n\0]/.test(value)) throw usageError(`config ${key}: the value must be one line`)
  splitArgs(value, key)
}

/** The arguments of a directive's value, tokenised like redis-server's sdssplitargs. */
export function splitArgs(line: string, key = 'value'): string[] {
  const out: string[] = []
  let i = 0
  const bad = () => usageError(`config ${key}: unbalanced quotes in ${JSON.stringify(line)}`)
  while (true) {
    while (i < line.length && /\s/.test(line[i]!)) i++
    if (i >= line.length) return out
    let cur = ''
    let inDq = false
    let inSq = false
    let done = false
    while (!done) {
      const c = line[i]
      if (inDq) {
        if (c === undefined) throw bad()
        if (c === '\\' && line[i + 1] === 'x' && /^[0-9a-f]{2}$/i.test(line.slice(i + 2, i + 4))) {
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16))
          i += 3
        } else if (c === '\\' && line[i + 1] !== undefined) {
          const n = line[++i]!
          cur += ({n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07'} as Record<string, string>)[n] ?? n
        } else if (c === '"') {
          if (line[i + 1] !== undefined && !/\s/.test(line[i + 1]!)) throw bad()
          done = true
        } else cur += c
      } else if (inSq) {
        if (c === undefined) throw bad()
        if (c === '\\' && line[i + 1] === "'") {
          cur += "'"
          i++
        } else if (c === "'") {
          if (line[i + 1] !== undefined && !/\s/.test(line[i + 1]!)) throw bad()
          done = true
        } else cur += c
      } else if (c === undefined || /\s/.test(c)) {
        done = true
      } else if (c === '"') inDq = true
      else if (c === "'") inSq = true
      else cur += c
      if (c !== undefined) i++
    }
    out.push(cur)
  }
}

/** The effective value of the last occurrence of a single-argument directive. */
export function configValue(config: Array<[string, string]>, key: string): string | undefined {
  let found: string | undefined
  for (const [k, v] of config) if (k.toLowerCase() === key) found = splitArgs(v, k).join(' ')
  return found
}

export function redactConfig(config: Array<[string, string]>): Array<[string, string]> {
  return config.map(([k, v]) => [k, SECRET_KEYS.test(k) ? '***' : v])
}
