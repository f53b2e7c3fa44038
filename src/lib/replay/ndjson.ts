import {redactSecrets} from '../shared/redact.js'
import {RcdiagError, errorMessage} from '../shared/errors.js'

/**
 * The last NDJSON event of a failed replay: a dashboard reading stdout sees why the stream ended,
 * with the same one-line message and exit status the user sees on stderr.
 */
export function errorEvent(error: unknown): Record<string, unknown> {
  const exitCode = error instanceof RcdiagError ? error.exitCode : ((error as {exitCode?: number})?.exitCode ?? 1)
  const code = error instanceof RcdiagError ? error.code : exitCode === 2 ? 'USAGE' : 'INTERNAL'
  return {type: 'error', code, message: redactSecrets(errorMessage(error)), exitCode}
}
