import {describe, expect, it} from 'vitest'

import {commandName, entryPattern, normalizeArg} from '../../../src/lib/parse/command-pattern.js'

describe('normalizeArg', () => {
  it('replaces numbers inside keys', () => {
    expect(normalizeArg('user:123:profile')).toBe('user:{n}:profile')
    expect(normalizeArg('order/2024/05/item-17')).toBe('order/{n}/{n}/item-{n}')
    expect(normalizeArg('k0')).toBe('k{n}')
    expect(normalizeArg('42')).toBe('{n}')
    expect(normalizeArg('0.02')).toBe('{n}')
    expect(normalizeArg('-1.5e3')).toBe('{n}')
  })

  it('replaces hex strings, UUIDs and long tokens', () => {
    expect(normalizeArg('session:3f2a9c0b7d')).toBe('session:{hex}')
    expect(normalizeArg('session:3f2a')).toBe('session:{hex}')
    expect(normalizeArg('obj:5f1d7c2e9a8b4c3d2e1f0a9b')).toBe('obj:{hex}')
    expect(normalizeArg('req:0xdeadbeef')).toBe('req:{hex}')
    expect(normalizeArg('cart:123e4567-e89b-12d3-a456-426614174000:items')).toBe('cart:{uuid}:items')
    expect(normalizeArg('tok:Xk9aQ2LmZp7Rt')).toBe('tok:{id}')
  })

  it('keeps words and hash tags', () => {
    expect(normalizeArg('config:feature_flags')).toBe('config:feature_flags')
    expect(normalizeArg('{users}:cache')).toBe('{users}:cache')
    expect(normalizeArg('{t2}:user:1')).toBe('{t{n}}:user:{n}')
    expect(normalizeArg('facade')).toBe('facade') // hex letters only: a word
  })

  it('keeps escape sequences intact', () => {
    expect(normalizeArg('evil:\\x1b[31m:\\n:\\xff\\xfe')).toBe('evil:\\x1b[{n}m:\\n:\\xff\\xfe')
    expect(normalizeArg('a\\x00b12')).toBe('a\\x00b{n}')
    expect(normalizeArg('\\u{202e}9')).toBe('\\u{202e}{n}')
  })
})

describe('commandName', () => {
  it('upper-cases and keeps the subcommand of container commands', () => {
    expect(commandName(['hmget', 'k', 'f'])).toBe('HMGET')
    expect(commandName(['cluster', 'slots'])).toBe('CLUSTER SLOTS')
    expect(commandName(['config', 'get', 'timeout'])).toBe('CONFIG GET')
    expect(commandName(['debug', 'sleep', '0.02'])).toBe('DEBUG SLEEP')
    expect(commandName([])).toBe('?')
  })
})

describe('entryPattern', () => {
  it('groups reads on the same key pattern with their arguments', () => {
    expect(entryPattern(['hmget', 'user:123:profile', 'name', 'email'])).toBe('HMGET user:{n}:profile name email')
    expect(entryPattern(['HMGET', 'user:456:profile', 'name', 'email'])).toBe('HMGET user:{n}:profile name email')
    expect(entryPattern(['zrange', 'lb:7', '0', '99'])).toBe('ZRANGE lb:{n} {n} {n}')
    expect(entryPattern(['debug', 'sleep', '0.02'])).toBe('DEBUG SLEEP {n}')
  })

  it('elides the values of writes', () => {
    expect(entryPattern(['set', 'session:3f2a9c0b7d', '{"user": 1, "secret": "x"}', 'EX', '300'])).toBe('SET session:{hex} …')
    expect(entryPattern(['hset', 'user:1', 'name', 'Ann', 'email', 'a@b'])).toBe('HSET user:{n} …')
    expect(entryPattern(['lpush', 'queue:9', 'job'])).toBe('LPUSH queue:{n} …')
    expect(entryPattern(['mset', 'a:1', 'v1', 'a:2', 'v2'])).toBe('MSET a:{n} … a:{n} …')
    expect(entryPattern(['set', 'only-key'])).toBe('SET only-key')
  })

  it('keeps script keys and elides script arguments', () => {
    expect(entryPattern(['evalsha', 'a42059b356c875f0717db19a51f6aaca9ae659ea', '2', 'k:1', 'k:2', 'secret'])).toBe(
      'EVALSHA {hex} {n} k:{n} k:{n} …',
    )
  })

  it('collapses repeated key patterns and caps long argument lists', () => {
    expect(entryPattern(['del', 'k:1', 'k:2', 'k:3'])).toBe('DEL k:{n} ×3')
    const many = ['hmget', 'h', ...Array.from({length: 20}, (_, i) => `f${i}x`)]
    expect(entryPattern(many)).toBe('HMGET h f{n}x ×7 …')
  })

  it('ignores the Redis "more arguments" marker', () => {
    expect(entryPattern(['del', 'k:1', 'k:2', '... (9 more arguments)'])).toBe('DEL k:{n} k:{n}')
  })
})
