import {Redis, type RedisOptions} from 'ioredis'

import {RCDIAG_CLIENT_NAME} from '../shared/constants.js'
import {DeadlineError, withDeadline} from '../shared/deadline.js'
import {unreachableError} from '../shared/errors.js'
import {connectionError} from './failures.js'
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
 * Opens one connection and proves it works (the handshake's AUTH and CLIENT SETNAME are answered).
 * Rejects with a one-line RcdiagError: unreachable, refused, timed out, TLS or auth failure.
 */
export async function openConnection(target: Target, name = RCDIAG_CLIENT_NAME): Promise<Connection> {
  const address = formatAddress(target.host, target.port)
  const redis = new Redis(connectionOptions(target, name))
  let lastError: Error | undefined
  redis.on('error', (error: Error) => {
    lastError = error
  })
  const budget = target.connectTimeoutMs + target.commandTimeoutMs
  try {
    // connect() resolves only after the handshake (AUTH, CLIENT SETNAME) was answered, so a wrong
    // password or a server that accepts TCP but never replies fails here.
    await withDeadline(redis.connect(), budget, () => {
      const message = `${address}: no answer within ${budget} ms (connected but the server does not reply)`
      return unreachableError(message, new DeadlineError(message))
    })
    return redis
  } catch (error) {
    redis.disconnect()
    throw connectionError(address, lastError ?? error)
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
