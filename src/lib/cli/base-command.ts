import {Command} from '@oclif/core'
import ora, {type Ora} from 'ora'

import {RcdiagError, errorMessage} from '../errors.js'
import {redactSecrets} from '../connect/redact.js'

/**
 * The base of every rcdiag command: one-line errors with meaningful exit codes (also under --json,
 * where oclif 4 would otherwise turn every failure into exit 1), and a spinner that only ever
 * appears on an interactive stderr.
 */
export abstract class RcdiagCommand extends Command {
  static override enableJsonFlag = true

  protected spinner(text: string): Ora {
    const silent = this.jsonEnabled() || !process.stderr.isTTY
    return ora({text, stream: process.stderr, isSilent: silent, discardStdin: false}).start()
  }

  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    const exitCode = err instanceof RcdiagError ? err.exitCode : (err.oclif?.exit ?? err.exitCode ?? 1)
    if (exitCode === 0) return // oclif's own exits (e.g. --help, --version)
    process.exitCode = exitCode
    if (err.name === 'ExitError' || (err as {code?: string}).code === 'EEXIT') throw err
    const message = redactSecrets(errorMessage(err))
    const code = err instanceof RcdiagError ? err.code : exitCode === 2 ? 'USAGE' : 'INTERNAL'
    if (process.env.DEBUG && err.stack) process.stderr.write(redactSecrets(err.stack) + '\n')
    process.stderr.write(`rcdiag: ${message}\n`)
    if (this.jsonEnabled()) {
      process.stdout.write(
        JSON.stringify({schemaVersion: 1, command: this.id ?? 'rcdiag', error: {code, message, exitCode}}, null, 2) + '\n',
      )
    }
    this.exit(exitCode)
  }
}
