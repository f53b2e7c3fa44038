import {describe, expect, it} from 'vitest'

import {redactSecrets} from '../../../src/lib/shared/redact.js'
import {describeTarget, resolveTarget, targetFor} from '../../../src/lib/redis/target.js'

describe('resolveTarget', () => {
  it('reads host:port, bare hosts and bracketed IPv6', () => {
    expect(resolveTarget({spec: '10.1.2.3:7001', env: {}})).toMatchObject({host: '10.1.2.3', port: 7001})
    expect(resolveTarget({spec: 'cache.local', env: {}})).toMatchObject({host: 'cache.local', port: 6379})
    expect(resolveTarget({spec: '[::1]:7000', env: {}})).toMatchObject({host: '::1', port: 7000})
    expect(resolveTarget({env: {}})).toMatchObject({host: '127.0.0.1', port: 6379})
  })

  it('reads redis:// and rediss:// URLs with user and password', () => {
    const t = resolveTarget({spec: 'rediss://app:p%40ss@cache.example:6380', env: {}})
    expect(t).toMatchObject({host: 'cache.example', port: 6380, username: 'app', password: 'p@ss'})
    expect(t.tls).toMatchObject({rejectUnauthorized: true, servername: 'cache.example'})
    expect(describeTarget(t)).toBe('rediss://app@cache.example:6380')
  })

  it('takes the password from --password, then the URL, then REDISCLI_AUTH', () => {
    expect(resolveTarget({spec: 'redis://:url@h:1', password: 'flag', env: {REDISCLI_AUTH: 'env'}}).password).toBe('flag')
    expect(resolveTarget({spec: 'redis://:url@h:1', env: {REDISCLI_AUTH: 'env'}}).password).toBe('url')
    expect(resolveTarget({spec: 'h:1', env: {REDISCLI_AUTH: 'env'}}).password).toBe('env')
  })

  it('registers the password so no message can carry it', () => {
    resolveTarget({spec: 'h:1', password: 'hunter2-secret', env: {}})
    expect(redactSecrets('AUTH hunter2-secret failed')).toBe('AUTH *** failed')
    expect(redactSecrets('redis://u:whatever@h:1')).toBe('redis://u:***@h:1')
  })

  it('refuses malformed targets with usage errors', () => {
    for (const spec of ['h:0', 'h:70000', 'h:port', 'http://h:1', 'redis://:pw@:5']) {
      expect(() => resolveTarget({spec, env: {}}), spec).toThrow(expect.objectContaining({code: 'USAGE', exitCode: 2}))
    }
    expect(() => resolveTarget({spec: 'redis://u:topsecret@h:99999', env: {}})).toThrow(/\*\*\*/)
  })

  it('--insecure and --tls, and targetFor keeps credentials for other nodes', () => {
    const base = resolveTarget({spec: 'h:1', tls: true, insecure: true, user: 'u', password: 'p', env: {}})
    expect(base.tls?.rejectUnauthorized).toBe(false)
    const other = targetFor(base, '127.0.0.2:7005')
    expect(other).toMatchObject({host: '127.0.0.2', port: 7005, username: 'u', password: 'p'})
    expect(other.tls?.servername).toBeUndefined()
  })
})

describe('host:port that is neither', () => {
  it('127.0.0.1:7850:1 is a usage error, not an IPv6 host', () => {
    expect(() => resolveTarget({spec: '127.0.0.1:7850:1', env: {}})).toThrow(expect.objectContaining({code: 'USAGE', exitCode: 2}))
    expect(resolveTarget({spec: 'fe80::1', env: {}})).toMatchObject({host: 'fe80::1', port: 6379})
  })
})
