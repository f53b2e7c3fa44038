import {Redis, type RedisOptions} from 'ioredis'

import {MAX_REPLY_BYTES, RCDIAG_CLIENT_NAME} from '../shared/constants.js'
import {DeadlineError, withDeadline} from '../shared/deadline.js'
import {RcdiagError, unreachableError} from '../shared/errors.js'
import {connectionError, failureKind, isCommandRefused, isReplyError, noAnswerText} from './failures.js'
import {formatAddress, type Target} from './target.js'

/** One connection to one node. Code outside this layer names the type through here, never through ioredis. */
export type Connection = Redis

/**
 * ioredis options for one diagnostic connection. Everything that changes what we measure is set
 * explicitly: RESP2 (predictable reply shapes), no reconnects or retries (a dead node must fail, not
 * hang), no ready-check INFO and no CLIENT SETINFO (they would add to the server's counters).
 */
export function connectionOptions(target: Target, name = RCDIAG_CLIENT_NAME): RedisOptions {
  return {
    host: target.host,
    port: target.port,
    username: target.username,
    password: target.password,
    tls: target.tls
      ? {
          ca: target.tls.ca,
          rejectUnauthorized: target.tls.rejectUnauthorized,
          servername: target.tls.servername,
          ...(target.tls.verifyHostname === false ? {checkServerIdentity: () => undefined} : {}),
        }
      : undefined,
    protocol: 2,
    connectionName: name,
    disableClientInfo: true,
    enableReadyCheck: false,
    lazyConnect: true,
    connectTimeout: target.connectTimeoutMs,
    commandTimeout: target.commandTimeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: true,
    autoResubscribe: false,
    autoResendUnfulfilledCommands: false,
    // A stopped peer never acknowledges our FIN; don't keep the process alive 2 s waiting for it.
    disconnectTimeout: 100,
  }
}

/**
 * Opens one connection and proves it works: the handshake's AUTH and our CLIENT SETNAME are answered
 * (awaited here, so a server that greets with an error and hangs up, as at maxclients, is caught now).
 * Rejects with a one-line RcdiagError: unreachable, refused, timed out, TLS or auth failure, a server
 * that does not speak Redis (what it answered, escaped) or a TLS connection to a plain port.
 */
export async function openConnection(target: Target, name = RCDIAG_CLIENT_NAME): Promise<Connection> {
  const address = formatAddress(target.host, target.port)
  const redis = new Redis({...connectionOptions(target, name), connectionName: undefined})
  let lastError: Error | undefined
  redis.on('error', (error: Error) => {
    lastError = error
  })
  const heard = firstBytes(redis)
  guardReplySize(redis, address)
  const budget = target.connectTimeoutMs + target.commandTimeoutMs
  try {
    const handshake = async () => {
      await redis.connect()
      // A user without CLIENT SETNAME (ACL) still gets a connection, unnamed; any other answer
      // than OK or that refusal (a greeting error, no answer) fails it here.
      await redis.call('CLIENT', 'SETNAME', name).catch((error: unknown) => {
        if (!isCommandRefused(error)) throw error
      })
    }
    await withDeadline(handshake(), budget, () => {
      const message = `${address}: ${noAnswerText(budget)}`
      return unreachableError(message, new DeadlineError(message))
    })
    return redis
  } catch (error) {
    redis.disconnect()
    const oversized = oversizedReply(redis)
    if (oversized) throw unreachableError(oversized)
    const cause = lastError ?? error
    // only a failed handshake can mean a plain port; a refused password or a full server cannot
    const handshakeFailed = ['tls', 'timeout', 'no-reply', 'closed', 'other'].includes(failureKind(cause))
    if (target.tls && handshakeFailed && (await answersPlainText(target))) {
      throw new RcdiagError(
        'TLS',
        `${address}: the server does not speak TLS there (it answers a plain-text PING): use redis:// without --tls`,
        {cause},
      )
    }
    if (failureKind(cause) === 'no-reply') {
      // ioredis says only "Command timed out": say how long it was given
      throw unreachableError(`${address}: ${noAnswerText(target.commandTimeoutMs)}`, cause)
    }
    throw connectionError(address, cause, heard())
  }
}

const oversized = new WeakMap<Redis, string>()

/** Why this connection was closed by rcdiag because a reply grew past MAX_REPLY_BYTES, if it was. */
export function oversizedReply(redis: Redis | undefined): string | undefined {
  return redis ? oversized.get(redis) : undefined
}

/**
 * Closes the connection when one reply grows past MAX_REPLY_BYTES: bytes are counted from the
 * last reply the parser completed (ioredis' command queue shrinks then; its parser reads each chunk
 * before this listener does), so a long-lived connection may receive any amount in total.
 */
function guardReplySize(redis: Redis, address: string): void {
  redis.once('connect', () => {
    let pending = 0
    let queued = redis.commandQueue.length
    const onData = (chunk: Buffer) => {
      const now = redis.commandQueue.length
      if (now < queued || now === 0) pending = 0
      queued = now
      pending += chunk.length
      if (pending <= MAX_REPLY_BYTES) return
      redis.stream?.off('data', onData)
      oversized.set(
        redis,
        `${address}: a reply grew past ${MAX_REPLY_BYTES / 1024 / 1024} MB without ending: not a Redis server, or a reply too large to read (connection closed)`,
      )
      redis.disconnect()
    }
    redis.stream?.on('data', onData)
  })
}

/** The first bytes the server sent on this connection (at most 256), as text: what answered, if not Redis. */
function firstBytes(redis: Redis): () => string {
  let heard = Buffer.alloc(0)
  redis.once('connect', () => {
    const onData = (chunk: Buffer) => {
      heard = Buffer.concat([heard, chunk]).subarray(0, 256)
      if (heard.length >= 256) redis.stream?.off('data', onData)
    }
    redis.stream?.on('data', onData)
  })
  return () => heard.toString('latin1')
}

/** After a failed TLS handshake: does the port answer a plain PING (a non-TLS server)? Bounded by the connect timeout. */
async function answersPlainText(target: Target): Promise<boolean> {
  // no credentials: this connection is not encrypted, and NOAUTH is Redis answering too
  const plain = new Redis({
    ...connectionOptions({...target, tls: undefined, username: undefined, password: undefined}),
    connectionName: undefined,
  })
  plain.on('error', () => {})
  try {
    await withDeadline(
      (async () => {
        await plain.connect()
        await plain.call('PING').catch((error: unknown) => {
          // NOAUTH and friends are Redis answering too
          if (!isReplyError(error)) throw error
        })
      })(),
      target.connectTimeoutMs,
      'no answer',
    )
    return true
  } catch {
    return false
  } finally {
    plain.disconnect()
  }
}

/** Closes without waiting for a reply: QUIT could hang on a half-dead node. */
export function closeConnection(redis: Connection | undefined): void {
  if (!redis) return
  try {
    redis.disconnect()
  } catch {
    // already closed
  }
}

/**
 * A connection that is not opened yet (lazy) and never emits an unhandled 'error': for clients that
 * manage their own pool and find a dead connection only when they use it (the replay models).
 */
export function createConnection(target: Target, name: string): Connection {
  const redis = new Redis(connectionOptions(target, name))
  redis.on('error', () => {})
  return redis
}

/** connect() bounded: a node that accepts TCP and never answers the handshake must not hang the caller. */
export function connectWithin(redis: Connection, target: Target): Promise<void> {
  const budget = target.connectTimeoutMs + target.commandTimeoutMs
  return withDeadline(redis.connect(), budget, `connect timed out after ${budget} ms`)
}
