import {describe, expect, it} from 'vitest'

import {registerSecret, redactSecrets} from '../../../src/lib/shared/redact.js'
import {resolveTarget} from '../../../src/lib/redis/target.js'

describe('redactSecrets', () => {
  it('replaces a secret only where it stands alone: a password "7" leaves addresses intact', () => {
    registerSecret('7')
    expect(redactSecrets('127.0.0.1:7844: connection refused')).toBe('127.0.0.1:7844: connection refused')
    expect(redactSecrets('AUTH 7 failed')).toBe('AUTH *** failed')
    expect(redactSecrets('password=7')).toBe('password=***')
  })

  it('secrets with punctuation, and URL passwords up to the last "@" (one not URL-encoded)', () => {
    registerSecret('p@ss.w*rd')
    expect(redactSecrets('AUTH p@ss.w*rd failed; p@ss.w*rdx stays')).toBe('AUTH *** failed; p@ss.w*rdx stays')
    expect(redactSecrets('cannot reach redis://:Pw_S2:@/x%y@127.0.0.1:7851 now')).toBe('cannot reach redis://:***@127.0.0.1:7851 now')
  })
})

describe('a URL password that was not URL-encoded', () => {
  it('is a usage error that echoes none of it', () => {
    const attempt = () => resolveTarget({spec: 'redis://:Pw_S2:@/x%y@127.0.0.1:7851', env: {}})
    expect(attempt).toThrow(expect.objectContaining({code: 'USAGE', exitCode: 2}))
    expect(attempt).toThrow(/URL-encode them/)
    try {
      attempt()
    } catch (error) {
      expect(String((error as Error).message)).not.toMatch(/Pw_S2|x%y/)
    }
    // encoded, it works
    expect(resolveTarget({spec: 'redis://:Pw_S2%3A%40%2Fx%25y@127.0.0.1:7851', env: {}}).password).toBe('Pw_S2:@/x%y')
  })
})
