import {ReplyError} from 'ioredis'
import {describe, expect, it} from 'vitest'

import {blockedKind, connectionError, failureKind, isCommandRefused, isReplyError, recoveryKind} from '../../../src/lib/redis/failures.js'
import {DeadlineError} from '../../../src/lib/shared/deadline.js'
import {RcdiagError} from '../../../src/lib/shared/errors.js'

const reply = (message: string) => new ReplyError(message)
const errno = (message: string, code: string) => Object.assign(new Error(message), {code})

describe('failureKind', () => {
  it('reads error replies by their prefix', () => {
    expect(failureKind(reply('MOVED 3999 127.0.0.1:7001'))).toBe('moved')
    expect(failureKind(reply('ASK 3999 127.0.0.1:7001'))).toBe('ask')
    expect(failureKind(reply('WRONGPASS invalid username-password pair or user is disabled.'))).toBe('auth-failed')
    expect(failureKind(reply('ERR invalid password'))).toBe('auth-failed')
    expect(failureKind(reply('NOAUTH Authentication required.'))).toBe('auth-required')
    expect(failureKind(reply("NOPERM User x has no permissions to run the 'config|get' command"))).toBe('permission')
    expect(failureKind(reply('ERR This instance has cluster support disabled'))).toBe('cluster-disabled')
    expect(failureKind(reply("ERR unknown command 'CONFIG', with args beginning with: 'GET'"))).toBe('unknown-command')
    expect(failureKind(reply("ERR Unknown subcommand or wrong number of arguments for 'SHARDS'. Try CLUSTER HELP."))).toBe(
      'unknown-command',
    )
    expect(failureKind(reply('LOADING Redis is loading the dataset in memory'))).toBe('loading')
    expect(failureKind(reply('BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.'))).toBe('busy')
    expect(failureKind(reply("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."))).toBe('masterdown')
    expect(failureKind(reply('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe('reply')
  })

  it('reads errno codes before any text', () => {
    expect(failureKind(errno('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'))).toBe('refused')
    expect(failureKind(errno('getaddrinfo ENOTFOUND nowhere', 'ENOTFOUND'))).toBe('host-not-found')
    expect(failureKind(errno('connect ETIMEDOUT', 'ETIMEDOUT'))).toBe('timeout')
    expect(failureKind(errno('read ECONNRESET', 'ECONNRESET'))).toBe('closed')
    expect(failureKind(errno('self-signed certificate', 'ERR_TLS_CERT_ALTNAME_INVALID'))).toBe('tls')
  })

  it("knows our own deadline and ioredis' plain Errors", () => {
    expect(failureKind(new DeadlineError('no reply within 2000 ms'))).toBe('no-reply')
    expect(failureKind(new Error('Command timed out'))).toBe('no-reply')
    expect(failureKind(new Error('Connection is closed.'))).toBe('closed')
    expect(failureKind(new Error('something else'))).toBe('other')
  })

  it('looks through an RcdiagError to its cause', () => {
    expect(failureKind(new RcdiagError('UNREACHABLE', 'x: timed out', {cause: new DeadlineError('late')}))).toBe('no-reply')
  })
})

describe('what callers branch on', () => {
  it('recoveryKind: closed (refused too), timeout, redirects, the rest other', () => {
    expect(recoveryKind(new Error('Connection is closed.'))).toBe('closed')
    expect(recoveryKind(errno('read ECONNRESET', 'ECONNRESET'))).toBe('closed')
    expect(recoveryKind(errno('connect ECONNREFUSED', 'ECONNREFUSED'))).toBe('closed')
    expect(recoveryKind(new DeadlineError('no reply within 4000 ms'))).toBe('timeout')
    expect(recoveryKind(reply('MOVED 1 127.0.0.1:2'))).toBe('moved')
    expect(recoveryKind(reply('ASK 1 127.0.0.1:2'))).toBe('ask')
    expect(recoveryKind(reply('WRONGTYPE'))).toBe('other')
  })

  it('isReplyError tells a refusal from a dead connection', () => {
    expect(isReplyError(reply("NOPERM User x has no permissions to run the 'slowlog|get' command"))).toBe(true)
    expect(isReplyError(new Error("ERR unknown command 'SLOWLOG'"))).toBe(true)
    expect(isReplyError(new Error('Connection is closed.'))).toBe(false)
    expect(isReplyError(errno('x', 'ERR_TLS_CERT_ALTNAME_INVALID'))).toBe(false)
  })

  it('isCommandRefused: unknown, renamed or ACL-denied commands have a fallback', () => {
    expect(isCommandRefused(reply("ERR unknown command 'CLUSTER|SHARDS'"))).toBe(true)
    expect(isCommandRefused(reply('NOPERM no permissions'))).toBe(true)
    expect(isCommandRefused(reply('ERR DEBUG command not allowed. If the enable-debug-command option is set to "no"...'))).toBe(false)
    expect(isCommandRefused(new Error('Connection is closed.'))).toBe(false)
  })
})

describe('connectionError', () => {
  it('one line naming the node, with the exit code of its kind', () => {
    expect(connectionError('127.0.0.1:1', errno('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'))).toMatchObject({
      code: 'UNREACHABLE',
      exitCode: 3,
      message: '127.0.0.1:1: connection refused',
    })
    expect(connectionError('h:1', reply('WRONGPASS invalid username-password pair'))).toMatchObject({code: 'AUTH', exitCode: 4})
    expect(connectionError('h:1', reply('NOAUTH Authentication required.')).message).toBe(
      'h:1: the server requires a password (use --password or REDISCLI_AUTH)',
    )
    expect(connectionError('h:1', errno('bad cert', 'ERR_TLS_CERT_ALTNAME_INVALID'))).toMatchObject({code: 'TLS', exitCode: 3})
    expect(connectionError('h:1', new DeadlineError('no answer within 4000 ms')).message).toBe(
      'h:1: no answer within 4000 ms (connected, but the server does not reply)',
    )
  })

  it('keeps the original error as the cause, so its kind survives the wrapping', () => {
    const refused = errno('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED')
    expect(connectionError('h:1', refused).cause).toBe(refused)
    expect(failureKind(connectionError('h:1', refused))).toBe('refused')
    expect(failureKind(connectionError('h:1', new Error('Connection is closed.')))).toBe('closed')
  })

  it('passes an RcdiagError through untouched', () => {
    const error = new RcdiagError('USAGE', 'bad')
    expect(connectionError('h:1', error)).toBe(error)
  })
})

describe('blockedKind: stuck, not refusing', () => {
  it('BUSY, LOADING and MASTERDOWN replies, and a connection that answers nothing', () => {
    expect(blockedKind(reply('BUSY Redis is busy running a script.'))).toBe('busy')
    expect(blockedKind(reply('LOADING Redis is loading the dataset in memory'))).toBe('loading')
    expect(blockedKind(reply('MASTERDOWN Link with MASTER is down'))).toBe('masterdown')
    expect(blockedKind(new RcdiagError('UNREACHABLE', 'h:1: no answer', {cause: new DeadlineError('no answer within 4000 ms')}))).toBe(
      'stalled',
    )
  })

  it('a refused connection, a TCP time-out or a permission is not a stuck node', () => {
    expect(blockedKind(errno('connect ECONNREFUSED', 'ECONNREFUSED'))).toBeUndefined()
    expect(blockedKind(errno('connect ETIMEDOUT', 'ETIMEDOUT'))).toBeUndefined()
    expect(blockedKind(reply('NOPERM no permissions'))).toBeUndefined()
  })
})

describe('connectionError: what answered instead of Redis', () => {
  const closed = new Error('Connection is closed.')

  it('a server at maxclients: refused, said plainly (from its reply or from what it sent before hanging up)', () => {
    const reply = Object.assign(new Error('ERR max number of clients reached'), {name: 'ReplyError'})
    expect(connectionError('h:1', reply).message).toBe('h:1: the server refused the connection: max number of clients reached (maxclients)')
    expect(connectionError('h:1', closed, '-ERR max number of clients reached\r\n').message).toBe(
      'h:1: the server refused the connection: max number of clients reached (maxclients)',
    )
  })

  it('another protocol: what it answered, escaped, and no "please report this"', () => {
    const parser = new Error('Unknown RESP type 72 "H". Please report this.')
    expect(connectionError('h:1', parser, 'HTTP/1.1 400 Bad Request\r\nContent-Length: 3\r\n\r\nbad').message).toBe(
      'h:1: does not speak Redis: an HTTP server answered "HTTP/1.1 400 Bad Request"',
    )
    expect(connectionError('h:1', closed, 'SSH-2.0-OpenSSH_9.2\x1b]0;x\x07\r\n').message).toBe(
      'h:1: does not speak Redis: it answered "SSH-2.0-OpenSSH_9.2\\x1b]0;x\\x07"',
    )
    // a RESP reply is Redis talking: the usual message stands
    expect(connectionError('h:1', closed, '+OK\r\n').message).toMatch(/connection closed by the server/)
  })
})
