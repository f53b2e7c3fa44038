/**
 * One classification of everything that can go wrong talking to Redis, in one place. It looks at
 * what the error *is* first (ioredis' ReplyError and the reply's prefix, Node's errno codes, our own
 * DeadlineError) and at message text only where nothing else exists (ioredis' plain Errors for
 * "Command timed out" and "Connection is closed.", TLS failures without a code).
 */
import {ReplyError} from 'ioredis'

import {escapeBytes} from '../parse/escape.js'

import type {BlockedKind} from '../parse/types.js'
import {DeadlineError} from '../shared/deadline.js'
import {RcdiagError, authError, errorMessage, unreachableError} from '../shared/errors.js'
import {redactSecrets} from '../shared/redact.js'

export type FailureKind =
  /** redirects: the slot lives elsewhere (MOVED) or is being migrated (ASK) */
  | 'moved'
  | 'ask'
  /** the node refused the TCP connection */
  | 'refused'
  /** the host name does not resolve */
  | 'host-not-found'
  /** no answer in time: a TCP connect or command timeout of ioredis' */
  | 'timeout'
  /** connected, then no answer within rcdiag's own deadline: a stopped, paused or stalled server */
  | 'no-reply'
  /** the server refused the connection: maxclients reached */
  | 'max-clients'
  /** what answered does not speak RESP (an HTTP server, another protocol) */
  | 'not-redis'
  /** the server answers, but only that it cannot serve: a long script or function (BUSY), loading its dataset (LOADING), a replica without its master (MASTERDOWN) */
  | 'busy'
  | 'loading'
  | 'masterdown'
  /** the connection was closed or reset under us */
  | 'closed'
  | 'tls'
  /** wrong user or password */
  | 'auth-failed'
  /** the server wants a password and got none */
  | 'auth-required'
  /** an ACL refused the command */
  | 'permission'
  /** the command does not exist here (renamed, disabled, older server) */
  | 'unknown-command'
  /** a cluster command on a server without cluster support */
  | 'cluster-disabled'
  /** any other error reply: the server answered and refused */
  | 'reply'
  | 'other'

/** The connection is gone (closed under us, or by rcdiag itself while a command still needed it). */
export class ConnectionClosedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConnectionClosedError'
  }
}

/** Error replies start with their code: "MOVED 3999 10.0.0.7:6381", "NOPERM …", "ERR unknown command …". */
const REPLY_PREFIX =
  /^(ERR|NOPERM|NOAUTH|WRONGPASS|WRONGTYPE|LOADING|BUSY|MOVED|ASK|CROSSSLOT|CLUSTERDOWN|TRYAGAIN|READONLY|OOM|NOSCRIPT|EXECABORT)\b/

/** A Redis error reply (refused, unknown command, redirect) as opposed to a dead connection. */
export function isReplyError(error: unknown): boolean {
  return error instanceof ReplyError || (error as Error)?.name === 'ReplyError' || REPLY_PREFIX.test(messageOf(error))
}

export function failureKind(error: unknown): FailureKind {
  if (error instanceof RcdiagError && error.cause !== undefined) return failureKind(error.cause)
  const message = messageOf(error)
  if (isReplyError(error)) return replyKind(message)
  if (error instanceof DeadlineError) return 'no-reply'
  if (error instanceof ConnectionClosedError) return 'closed'
  const code = String((error as NodeJS.ErrnoException)?.code ?? '')
  if (code === 'ECONNREFUSED') return 'refused'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host-not-found'
  if (code === 'ETIMEDOUT') return 'timeout'
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'closed'
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code === 'EPROTO') return 'tls'
  // ioredis rejects with plain Errors here: the message is all there is.
  if (/ECONNREFUSED/.test(message)) return 'refused'
  // ioredis' commandTimeout on an open connection: connected, and the server did not answer
  if (/^Command timed out/.test(message)) return 'no-reply'
  if (/timed out|ETIMEDOUT/i.test(message)) return 'timeout'
  if (/Connection is closed|ECONNRESET|EPIPE|socket hang up|Stream isn't writeable|write after end/i.test(message)) return 'closed'
  if (/certificate|SSL|TLS|self.signed/i.test(message)) return 'tls'
  // the RESP parser met a first byte no Redis sends
  if (/Unknown RESP type|Protocol error/i.test(message)) return 'not-redis'
  return 'other'
}

function replyKind(message: string): FailureKind {
  if (/^BUSY\b/.test(message)) return 'busy'
  if (/^LOADING\b/.test(message)) return 'loading'
  if (/^MASTERDOWN\b/.test(message)) return 'masterdown'
  if (/^MOVED /.test(message)) return 'moved'
  if (/^ASK /.test(message)) return 'ask'
  if (/^WRONGPASS|invalid username-password|invalid password/i.test(message)) return 'auth-failed'
  if (/^NOAUTH|Authentication required/i.test(message)) return 'auth-required'
  if (/^NOPERM/.test(message)) return 'permission'
  if (/max number of clients reached/i.test(message)) return 'max-clients'
  if (/cluster support disabled|not in cluster mode/i.test(message)) return 'cluster-disabled'
  if (/unknown (sub)?command|unknown command/i.test(message)) return 'unknown-command'
  return 'reply'
}

export type {BlockedKind} from '../parse/types.js'

/** The kind of stuck node this failure shows, or undefined when it is something else (refused, auth, ...). */
export function blockedKind(error: unknown): BlockedKind | undefined {
  const kind = failureKind(error)
  if (kind === 'busy' || kind === 'loading' || kind === 'masterdown') return kind
  if (kind === 'no-reply') return 'stalled'
  return undefined
}

/** What a cluster client's recovery policy branches on (the replay models). */
export type RecoveryKind = 'closed' | 'timeout' | 'moved' | 'ask' | 'other'

export function recoveryKind(error: unknown): RecoveryKind {
  const kind = failureKind(error)
  if (kind === 'moved' || kind === 'ask' || kind === 'timeout' || kind === 'closed') return kind
  if (kind === 'no-reply') return 'timeout'
  if (kind === 'refused') return 'closed'
  return 'other'
}

/** A command this server or this user cannot run: a fallback (or a skipped check) applies, not a failure. */
export function isCommandRefused(error: unknown): boolean {
  const kind = failureKind(error)
  return kind === 'unknown-command' || kind === 'permission' || /disabled/i.test(messageOf(error))
}

/**
 * Any failure as a one-line RcdiagError naming the node, with the exit code its kind calls for.
 * `heard`: the first bytes the server sent, when known, to say what answered instead of Redis.
 */
export function connectionError(address: string, error: unknown, heard?: string): RcdiagError {
  if (error instanceof RcdiagError) return error
  const text = firstLine(redactSecrets(messageOf(error)))
  const kind = failureKind(error)
  // a server that greets with an error and hangs up (maxclients) or answers in another protocol
  const greeting = heard ? greetingOf(heard) : undefined
  if (greeting && (kind === 'closed' || kind === 'not-redis' || kind === 'other')) return greeting.error(address, error)
  switch (kind) {
    case 'max-clients':
      return unreachableError(`${address}: the server refused the connection: max number of clients reached (maxclients)`, error)
    case 'not-redis':
      return unreachableError(`${address}: does not speak Redis (${text})`, error)
    case 'auth-failed':
      return authError(`${address}: authentication failed (wrong user or password)`, error)
    case 'auth-required':
      return authError(`${address}: the server requires a password (use --password or REDISCLI_AUTH)`, error)
    case 'permission':
      return authError(`${address}: permission denied: ${text}`, error)
    case 'refused':
      return unreachableError(`${address}: connection refused`, error)
    case 'host-not-found':
      return unreachableError(`${address}: host not found`, error)
    case 'timeout':
      return unreachableError(`${address}: timed out (${text})`, error)
    case 'no-reply': {
      // ioredis says only "Command timed out"; our own deadlines say how long they gave
      const ms = /^no (?:answer|reply) within (\d+) ms/.exec(text)?.[1]
      return unreachableError(`${address}: ${noAnswerText(ms === undefined ? undefined : Number(ms))}`, error)
    }
    case 'closed':
      return unreachableError(`${address}: connection closed by the server (wrong protocol? a TLS port needs rediss:// or --tls)`, error)
    case 'tls':
      return new RcdiagError('TLS', `${address}: TLS failed: ${text}`, {cause: error})
    default:
      return unreachableError(`${address}: ${text}`, error)
  }
}

/** What a server's first bytes say when it is not answering as Redis would. */
function greetingOf(heard: string): {error: (address: string, cause: unknown) => RcdiagError} | undefined {
  const line = heard.split(/\r?\n/)[0] ?? ''
  if (/max number of clients reached/i.test(line)) {
    return {
      error: (address, cause) =>
        unreachableError(`${address}: the server refused the connection: max number of clients reached (maxclients)`, cause),
    }
  }
  if (/^[-+:$*_,#!=(%~>|]/.test(line)) return undefined // RESP: a Redis reply, not a greeting
  const shown = escapeBytes(line.slice(0, 60))
  const what = /^HTTP\/\d/.test(line) ? 'an HTTP server answered' : 'it answered'
  return {error: (address, cause) => unreachableError(`${address}: does not speak Redis: ${what} "${shown}"`, cause)}
}

/** The failure as a node's error in a report: one line, without the address the report already shows. */
export function nodeErrorText(address: string, error: unknown): string {
  return errorMessage(connectionError(address, error)).replace(`${address}: `, '')
}

function messageOf(error: unknown): string {
  return String((error as Error)?.message ?? error)
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text
}

/** One wording for a node that accepted the connection and did not answer, with the budget it had when known. */
export function noAnswerText(ms?: number): string {
  return `no answer ${ms === undefined ? 'in time' : `within ${ms} ms`} (connected, but the server does not reply)`
}

/** One wording for "another node answered at this announced address" (CLUSTER MYID is not the announced id). */
export function wrongNodeMessage(answeredId: string, expectedId: string): string {
  return `node ${answeredId.slice(0, 8)} answered here, not ${expectedId.slice(0, 8)} as the cluster announces`
}
