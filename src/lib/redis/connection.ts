import {Redis, type RedisOptions} from 'ioredis'

import {RcdiagError, authError, unreachableError} from '../shared/errors.js'
import {redactSecrets} from '../shared/redact.js'
import {formatAddress, type Target} from './target.js'

/** The name rcdiag gives its own connections, so reports can leave them out. */
export const RCDIAG_CLIENT_NAME = 'rcdiag'

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
    tls: target.tls ? {ca: target.tls.ca, rejectUnauthorized: target.tls.rejectUnauthorized, servername: target.tls.servername} : undefined,
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
export async function openConnection(target: Target, name = RCDIAG_CLIENT_NAME): Promise<Redis> {
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
    await withDeadline(
      redis.connect(),
      budget,
      () => unreachableError(`${address}: no answer within ${budget} ms (connected but the server does not reply)`),
    )
    return redis
  } catch (error) {
    redis.disconnect()
    throw connectionError(address, lastError ?? error)
  }
}

/** Closes without waiting for a reply: QUIT could hang on a half-dead node. */
export function closeConnection(redis: Redis | undefined): void {
  if (!redis) return
  try {
    redis.disconnect()
  } catch {
    // already closed
  }
}

export function connectionError(address: string, error: unknown): RcdiagError {
  if (error instanceof RcdiagError) return error
  const err = error as NodeJS.ErrnoException & {message?: string}
  const text = redactSecrets(String(err?.message ?? error))
  const code = err?.code ?? ''
  if (/WRONGPASS|invalid username-password|invalid password/i.test(text)) {
    return authError(`${address}: authentication failed (wrong user or password)`)
  }
  if (/NOAUTH|Authentication required/i.test(text)) {
    return authError(`${address}: the server requires a password (use --password or REDISCLI_AUTH)`)
  }
  if (/NOPERM/i.test(text)) return authError(`${address}: permission denied: ${firstLine(text)}`)
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(text)) return unreachableError(`${address}: connection refused`)
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return unreachableError(`${address}: host not found`)
  if (code === 'ETIMEDOUT' || /ETIMEDOUT|timed out/i.test(text)) return unreachableError(`${address}: timed out (${firstLine(text)})`)
  if (code === 'ECONNRESET' || /ECONNRESET|Connection is closed|socket hang up/i.test(text)) {
    return unreachableError(`${address}: connection closed by the server (wrong protocol? a TLS port needs rediss:// or --tls)`)
  }
  if (/certificate|SSL|TLS|self.signed|EPROTO/i.test(text) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL')) {
    return new RcdiagError('TLS', `${address}: TLS failed: ${firstLine(text)}`)
  }
  return unreachableError(`${address}: ${firstLine(text)}`)
}

/** A Redis error reply (refused, unknown command, redirect) as opposed to a dead connection. */
export function isReplyError(error: unknown): boolean {
  const err = error as Error
  return (
    err?.name === 'ReplyError' ||
    /^(ERR|NOPERM|NOAUTH|WRONGTYPE|LOADING|MOVED|ASK|CROSSSLOT|CLUSTERDOWN)\b/.test(String(err?.message ?? ''))
  )
}

/** Resolves or rejects within `ms`; never leaves a timer behind. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms)
  })
  try {
    return await Promise.race([promise, deadline])
  } finally {
    clearTimeout(timer)
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text
}
