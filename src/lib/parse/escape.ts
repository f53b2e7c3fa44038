/**
 * Turning the raw bytes of a SLOWLOG argument into text that is safe to print on a terminal and
 * unambiguous to read. Keys are attacker-controlled: a key holding "\x1b]0;…" or "\r" could
 * rewrite the screen of the engineer reading the report. Everything here is pure.
 */

/** Redis keeps at most this many arguments per entry (SLOWLOG_ENTRY_MAX_ARGC). */
export const MAX_ARGS = 32
/** Redis keeps at most this many bytes of each argument (SLOWLOG_ENTRY_MAX_STRING). */
export const MAX_ARG_BYTES = 128

const REDIS_TRUNCATION_SUFFIX = /^\.\.\. \(\d+ more bytes\)$/
const SHORT_ESCAPES: Record<number, string> = {0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r', 0x5c: '\\\\'}

/**
 * Valid UTF-8 text is kept as is (so "ключ:用户" stays readable); invalid bytes, C0 controls, DEL
 * become `\xHH`; `\n`, `\r`, `\t` and the backslash itself get their short forms; C1 controls and
 * the invisible characters that reorder or hide text (bidi overrides, zero-width, line separators)
 * become `\u{HHHH}`.
 */
export function escapeBytes(input: Uint8Array | string): string {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input
  let out = ''
  let i = 0
  while (i < bytes.length) {
    const decoded = decodeCodePoint(bytes, i)
    if (!decoded) {
      out += hexByte(bytes[i])
      i++
      continue
    }
    out += escapeCodePoint(decoded.codePoint)
    i += decoded.length
  }
  return out
}

/**
 * The arguments as Redis would show them, escaped: at most 32 (the last one saying how many more
 * there were), each at most 128 bytes plus "... (N more bytes)". Redis already does this on the
 * server; doing it again is a no-op there and protects against servers that do not.
 */
export function displayArgs(args: Uint8Array[]): string[] {
  let kept: Uint8Array[] = args
  if (args.length > MAX_ARGS) {
    kept = [...args.slice(0, MAX_ARGS - 1), Buffer.from(`... (${args.length - MAX_ARGS + 1} more arguments)`)]
  }
  return kept.map((arg) => escapeBytes(shortenArg(arg)))
}

/** The first 128 bytes and "... (N more bytes)", unless Redis already shortened it. */
export function shortenArg(arg: Uint8Array): Uint8Array {
  if (arg.length <= MAX_ARG_BYTES) return arg
  const asText = Buffer.from(arg.buffer, arg.byteOffset, arg.byteLength)
  if (REDIS_TRUNCATION_SUFFIX.test(asText.subarray(MAX_ARG_BYTES).toString('latin1'))) return arg
  return Buffer.concat([asText.subarray(0, MAX_ARG_BYTES), Buffer.from(`... (${arg.length - MAX_ARG_BYTES} more bytes)`)])
}

function escapeCodePoint(cp: number): string {
  const short = SHORT_ESCAPES[cp]
  if (short) return short
  if (cp < 0x20 || cp === 0x7f) return hexByte(cp)
  if (cp < 0x7f) return String.fromCharCode(cp)
  if (isInvisibleOrControl(cp)) return `\\u{${cp.toString(16).padStart(4, '0')}}`
  return String.fromCodePoint(cp)
}

/** C1 controls (0x9b is CSI on some terminals) and characters that hide or reorder text. */
function isInvisibleOrControl(cp: number): boolean {
  return (
    (cp >= 0x80 && cp <= 0x9f) ||
    cp === 0xad ||
    cp === 0x061c ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2069) ||
    cp === 0xfeff ||
    (cp >= 0xfff9 && cp <= 0xfffb)
  )
}

/** One well-formed UTF-8 sequence at `at` (no overlongs, no surrogates, ≤ U+10FFFF), or null. */
function decodeCodePoint(bytes: Uint8Array, at: number): {codePoint: number; length: number} | null {
  const b0 = bytes[at]
  if (b0 < 0x80) return {codePoint: b0, length: 1}
  let length: number
  let cp: number
  let min: number
  if (b0 >= 0xc2 && b0 <= 0xdf) [length, cp, min] = [2, b0 & 0x1f, 0x80]
  else if (b0 >= 0xe0 && b0 <= 0xef) [length, cp, min] = [3, b0 & 0x0f, 0x800]
  else if (b0 >= 0xf0 && b0 <= 0xf4) [length, cp, min] = [4, b0 & 0x07, 0x10000]
  else return null
  if (at + length > bytes.length) return null
  for (let k = 1; k < length; k++) {
    const b = bytes[at + k]
    if ((b & 0xc0) !== 0x80) return null
    cp = (cp << 6) | (b & 0x3f)
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null
  return {codePoint: cp, length}
}

function hexByte(byte: number): string {
  return `\\x${byte.toString(16).padStart(2, '0')}`
}
