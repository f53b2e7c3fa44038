import {Command} from '@oclif/core'

import {RcdiagError, errorMessage} from '../shared/errors.js'
import {redactSecrets} from '../shared/redact.js'

/**
 * The base of every rcdiag command: one-line errors with meaningful exit codes (also under --json,
 * where oclif 4 would otherwise turn every failure into exit 1), and a spinner that only ever
 * appears on an interactive stderr.
 */
export interface Spinner {
  text: string
  stop(): void
}

export abstract class RcdiagCommand extends Command {
  static override enableJsonFlag = true

  /**
   * A spinner on stderr, only on a TTY and never under --json. ora (and its dependencies) is loaded
   * only then: most runs (pipes, CI, --json) never pay for it.
   */
  protected spinner(text: string): Spinner {
    const state = {text, stopped: false}
    let ora: {text: string; stop(): void} | undefined
    if (!this.jsonEnabled() && process.stderr.isTTY) {
      void import('ora').then(({default: create}) => {
        if (state.stopped) return
        ora = create({text: state.text, stream: process.stderr, discardStdin: false}).start()
      })
    }
    return {
      get text() {
        return state.text
      },
      set text(value: string) {
        state.text = value
        if (ora) ora.text = value
      },
      stop() {
        state.stopped = true
        ora?.stop()
      },
    }
  }

  /** Plain JSON.stringify: oclif's colorizing tokenizer is slow on large reports and colours nothing in a pipe. */
  override logJson(json: unknown): void {
    process.stdout.write(JSON.stringify(json, null, 2) + '\n')
  }

  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    // oclif's parse errors (CLIParseError and kin carry `parse`) are usage errors even when oclif gives no code.
    const parseError = 'parse' in err && err.parse !== undefined
    const exitCode = err instanceof RcdiagError ? err.exitCode : (err.oclif?.exit ?? err.exitCode ?? (parseError ? 2 : 1))
    if (exitCode === 0) return // oclif's own exits (e.g. --help, --version)
    process.exitCode = exitCode
    if (err.name === 'ExitError' || (err as {code?: string}).code === 'EEXIT') throw err
    const message = redactSecrets(errorMessage(err))
    const code = err instanceof RcdiagError ? err.code : exitCode === 2 ? 'USAGE' : 'INTERNAL'
    if (process.env.RCDIAG_DEBUG && err.stack) process.stderr.write(redactSecrets(err.stack) + '\n')
    process.stderr.write(`rcdiag: ${message}\n`)
    if (this.jsonEnabled()) {
      process.stdout.write(
        JSON.stringify({schemaVersion: 1, command: this.id ?? 'rcdiag', error: {code, message, exitCode}}, null, 2) + '\n',
      )
    }
    this.exit(exitCode)
  }
}
