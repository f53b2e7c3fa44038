/**
 * Helpers shared by the reply parsers. The rule everywhere: a reply of the wrong shape, or a
 * required number that is not a number, throws an Error naming the reply; unknown extras are ignored.
 */

export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return `an array of ${value.length}`
  if (Buffer.isBuffer(value)) return `a Buffer of ${value.length} bytes`
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 60))}` : typeof value
}

export function replyError(reply: string, problem: string): Error {
  return new Error(`${reply} reply: ${problem}`)
}

export function expectString(value: unknown, reply: string): string {
  if (typeof value === 'string') return value
  if (Buffer.isBuffer(value)) return value.toString('utf8')
  throw replyError(reply, `expected text, got ${describe(value)}`)
}

export function expectArray(value: unknown, reply: string, what = 'the reply'): unknown[] {
  if (Array.isArray(value)) return value
  throw replyError(reply, `expected ${what} to be an array, got ${describe(value)}`)
}

/** Bulk strings may arrive as Buffers (callBuffer); nil and missing become "". */
export function text(value: unknown): string {
  if (typeof value === 'string') return value
  if (Buffer.isBuffer(value)) return value.toString('utf8')
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  return ''
}

/** RESP2 integers are numbers, but the same field can be a bulk string in other replies. */
export function toNumber(value: unknown, reply: string, what: string): number {
  const s = text(value).trim()
  const n = typeof value === 'number' ? value : s === '' ? Number.NaN : Number(s)
  if (!Number.isFinite(n)) throw replyError(reply, `${what} is not a number: ${describe(value)}`)
  return n
}

/**
 * A RESP2 map is a flat [k, v, k, v] array; ioredis with replyMapping "resp3" gives a plain object.
 * Accept both so callers need not care.
 */
export function pairs(value: unknown, reply: string, what = 'the reply'): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value)) {
    return new Map(Object.entries(value))
  }
  const flat = expectArray(value, reply, what)
  if (flat.length % 2 !== 0) throw replyError(reply, `expected key/value pairs in ${what}, got an odd length of ${flat.length}`)
  const map = new Map<string, unknown>()
  for (let i = 0; i < flat.length; i += 2) map.set(text(flat[i]), flat[i + 1])
  return map
}

/** Text replies end lines with \r\n (INFO, CLUSTER INFO) or \n (CLUSTER NODES, CLIENT LIST). */
export function lines(body: string): string[] {
  return body.split(/\r?\n/).filter((line) => line.trim() !== '')
}
