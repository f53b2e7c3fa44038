import {describe, expect, it} from 'vitest'

import {displayArgs, escapeBytes, shortenArg} from '../../../src/lib/parse/escape.js'

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))))

describe('escapeBytes', () => {
  it('keeps printable ASCII as is', () => {
    expect(escapeBytes(bytes('user:123:profile {t2} ~!@#$%^&*()'))).toBe('user:123:profile {t2} ~!@#$%^&*()')
  })

  it('neutralises terminal escape sequences', () => {
    expect(escapeBytes(bytes('evil\x1b[31mred\x1b[0m'))).toBe('evil\\x1b[31mred\\x1b[0m')
    expect(escapeBytes(bytes('\x1b]0;pwned\x07'))).toBe('\\x1b]0;pwned\\x07') // OSC: set the window title
    expect(escapeBytes(bytes('\x1b[2J\x1b[H'))).toBe('\\x1b[2J\\x1b[H') // clear screen
  })

  it('escapes CR, LF, TAB, NUL, DEL and every other C0 control', () => {
    expect(escapeBytes(bytes('a\r\nb\tc'))).toBe('a\\r\\nb\\tc')
    expect(escapeBytes(bytes([0x00, 0x01, 0x08, 0x0b, 0x0c, 0x1f, 0x7f]))).toBe('\\x00\\x01\\x08\\x0b\\x0c\\x1f\\x7f')
  })

  it('escapes the backslash so an escaped form cannot be forged', () => {
    expect(escapeBytes(bytes('literal\\x1b'))).toBe('literal\\\\x1b')
    expect(escapeBytes(bytes('\\'))).not.toBe(escapeBytes(bytes('\\\\')))
  })

  it('escapes invalid UTF-8 byte by byte', () => {
    expect(escapeBytes(bytes('bin:', [0xff, 0xfe], ':end'))).toBe('bin:\\xff\\xfe:end')
    expect(escapeBytes(bytes([0xc3]))).toBe('\\xc3') // truncated 2-byte sequence
    expect(escapeBytes(bytes([0xe2, 0x82]))).toBe('\\xe2\\x82') // truncated 3-byte sequence
    expect(escapeBytes(bytes([0xc0, 0xaf]))).toBe('\\xc0\\xaf') // overlong "/"
    expect(escapeBytes(bytes([0xed, 0xa0, 0x80]))).toBe('\\xed\\xa0\\x80') // UTF-16 surrogate
    expect(escapeBytes(bytes([0xf4, 0x90, 0x80, 0x80]))).toBe('\\xf4\\x90\\x80\\x80') // above U+10FFFF
    expect(escapeBytes(bytes([0x80, 0x41]))).toBe('\\x80A') // stray continuation byte
  })

  it('keeps valid multi-byte UTF-8 readable', () => {
    expect(escapeBytes(bytes('ключ:用户:é:😀'))).toBe('ключ:用户:é:😀')
    expect(escapeBytes(bytes('é', [0xff], '用'))).toBe('é\\xff用')
  })

  it('escapes C1 controls and invisible characters that hide or reorder text', () => {
    expect(escapeBytes(bytes('\u009b31m'))).toBe('\\u{009b}31m') // 8-bit CSI
    expect(escapeBytes(bytes('admin\u202Etxt.exe'))).toBe('admin\\u{202e}txt.exe') // right-to-left override
    expect(escapeBytes(bytes('a\u200Bb\u2028c\uFEFF'))).toBe('a\\u{200b}b\\u{2028}c\\u{feff}')
  })

  it('accepts strings and empty input', () => {
    expect(escapeBytes('')).toBe('')
    expect(escapeBytes('a\nb')).toBe('a\\nb')
  })

  it('never lets a control character through (every byte value)', () => {
    for (let b = 0; b < 256; b++) {
      const out = escapeBytes(Buffer.from([b]))
      expect(out).not.toMatch(/\p{Cc}/u) // Cc: U+0000-U+001F and U+007F-U+009F
    }
  })
})

describe('shortenArg and displayArgs (Redis limits)', () => {
  it('shortens arguments over 128 bytes like Redis does', () => {
    const long = Buffer.from('x'.repeat(200))
    expect(shortenArg(long).toString()).toBe(`${'x'.repeat(128)}... (72 more bytes)`)
    expect(shortenArg(Buffer.from('x'.repeat(128))).toString()).toBe('x'.repeat(128))
  })

  it('leaves an argument Redis already shortened alone', () => {
    const fromRedis = Buffer.from(`${'x'.repeat(128)}... (72 more bytes)`)
    expect(shortenArg(fromRedis)).toBe(fromRedis)
  })

  it('keeps 31 arguments and says how many more there were', () => {
    const args = Array.from({length: 40}, (_, i) => Buffer.from(`a${i}`))
    const shown = displayArgs(args)
    expect(shown).toHaveLength(32)
    expect(shown[30]).toBe('a30')
    expect(shown[31]).toBe('... (9 more arguments)')
    expect(displayArgs(args.slice(0, 32))).toHaveLength(32)
  })

  it('leaves a Redis-capped argument list as it is', () => {
    const fromRedis = [...Array.from({length: 31}, (_, i) => Buffer.from(`a${i}`)), Buffer.from('... (9 more arguments)')]
    expect(displayArgs(fromRedis)).toEqual(fromRedis.map(String))
  })

  it('escapes after shortening (a cut multi-byte character shows as bytes)', () => {
    const arg = Buffer.concat([Buffer.from('x'.repeat(127)), Buffer.from('é'), Buffer.from('yy')])
    expect(displayArgs([arg])[0]).toBe(`${'x'.repeat(127)}\\xc3... (3 more bytes)`)
  })
})
