/** How a failed command failed, which is what the recovery policies branch on. */
export type FailureKind = 'closed' | 'timeout' | 'moved' | 'ask' | 'other'

export function classifyFailure(error: unknown): FailureKind {
  const message = String((error as Error)?.message ?? error)
  if (/^MOVED /.test(message)) return 'moved'
  if (/^ASK /.test(message)) return 'ask'
  if (/timed out|ETIMEDOUT/i.test(message)) return 'timeout'
  if (/Connection is closed|ECONNRESET|EPIPE|ECONNREFUSED|socket hang up|Stream isn't writeable|write after end|Connection closed|closed by the server/i.test(message)) {
    return 'closed'
  }
  return 'other'
}
