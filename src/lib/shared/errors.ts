/**
 * Errors are values with a stable code and an exit status, made here and only here.
 * Commands never call process.exit: the base command maps an RcdiagError to its exit code.
 */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  unreachable: 3,
  auth: 4,
  labFailed: 5,
  /** --fail-on: a finding at or above the chosen severity (the report is still printed in full) */
  findings: 6,
  /** Ctrl-C or SIGTERM: the work stopped early (a partial report may have been printed) */
  interrupted: 130,
} as const

/** REFUSED: the server answered and refused the work (BUSY, LOADING, CLUSTERDOWN, OOM, READONLY): not ours, not the user's */
export type ErrorCode = 'USAGE' | 'UNREACHABLE' | 'REFUSED' | 'AUTH' | 'TLS' | 'LAB' | 'REDIS_SERVER_MISSING' | 'INTERNAL'

const EXIT_BY_CODE: Record<ErrorCode, number> = {
  USAGE: EXIT.usage,
  UNREACHABLE: EXIT.unreachable,
  REFUSED: EXIT.unreachable,
  AUTH: EXIT.auth,
  TLS: EXIT.unreachable,
  LAB: EXIT.labFailed,
  REDIS_SERVER_MISSING: EXIT.labFailed,
  INTERNAL: EXIT.failure,
}

export class RcdiagError extends Error {
  readonly code: ErrorCode
  readonly exitCode: number

  constructor(code: ErrorCode, message: string, options?: {cause?: unknown}) {
    super(message, options)
    this.name = 'RcdiagError'
    this.code = code
    this.exitCode = EXIT_BY_CODE[code]
  }
}

export const usageError = (message: string) => new RcdiagError('USAGE', message)
export const unreachableError = (message: string, cause?: unknown) => new RcdiagError('UNREACHABLE', message, {cause})
export const authError = (message: string, cause?: unknown) => new RcdiagError('AUTH', message, {cause})
export const labError = (message: string) => new RcdiagError('LAB', message)
export const refusedError = (message: string, cause?: unknown) => new RcdiagError('REFUSED', message, {cause})

/** One line, no stack: what a user sees on stderr. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  // oclif's parse errors span lines ("Parsing --x \n\tdetail\nSee more help with --help"): keep the facts.
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^See more help with/.test(line))
    .map((line) => line.replace(/:$/, ''))
    .join(': ')
    .replace(/\s+/g, ' ')
    .replace(/ :/g, ':')
}
