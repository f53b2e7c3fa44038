import {setMaxListeners} from 'node:events'

import {Command} from '@oclif/core'

import type {Finding} from '../lib/findings/types.js'
import {EXIT, RcdiagError, errorMessage} from '../lib/shared/errors.js'
import {escapeBytes} from '../lib/parse/escape.js'
import {redactSecrets} from '../lib/shared/redact.js'
import {SCHEMA_VERSION} from '../lib/shared/version.js'
import {failOnExitCode, type FailOnLevel} from './fail-on.js'
import {quietLibraryWarnings} from './library-warnings.js'

export interface Spinner {
  text: string
  stop(): void
}

/** Ctrl-C (or SIGTERM) as an AbortSignal: the first asks the command to stop, a second exits at once. */
export interface Interruption {
  signal: AbortSignal
  /** what a second Ctrl-C prints before exiting (e.g. which replay keys are left to their TTL) */
  onSecond(note: () => string | undefined): void
}

/** SIGHUP too: a closed terminal or ssh session must clean up (replay's keys) and report like Ctrl-C. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * The base of every rcdiag command: it owns the common tail so commands stay flags → one call →
 * render. One-line errors with the exit codes of EXIT (also under --json, where oclif 4 would turn
 * every failure into 1); a spinner that only ever appears on an interactive stderr and is stopped
 * however the command ends; Ctrl-C as an AbortSignal; --fail-on; "render unless --json"; NDJSON.
 */
export abstract class RcdiagCommand extends Command {
  static override enableJsonFlag = true

  override async init(): Promise<void> {
    quietLibraryWarnings()
    // The reader went away (`| head`, a closed dashboard): stop what runs (as a first Ctrl-C would:
    // replay still removes its keys) and write nothing more; a closed pipe is no error to report.
    // A closed terminal (SIGHUP over ssh) fails writes with EIO rather than EPIPE: any write error
    // on stdout or stderr means nobody reads any more, never a crash that would skip the cleanup.
    process.stdout.on('error', () => {
      this.stdoutClosed = true
      this.stopOnClose?.()
    })
    process.stderr.on('error', () => {
      this.activeSpinner?.stop()
    })
    await super.init()
  }

  /** stdout's reader is gone: nothing more is written there */
  protected stdoutClosed = false
  private stopOnClose: (() => void) | undefined

  private activeSpinner: Spinner | undefined
  private releaseSignals: (() => void) | undefined
  /** set by commands streaming NDJSON: a failure then ends the stream with an error event too */
  protected streaming = false

  /**
   * A spinner on stderr, only on a TTY and never under --json. ora (and its dependencies) is loaded
   * only then: most runs (pipes, CI, --json) never pay for it. Stopped automatically when the
   * command ends.
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
    const spinner: Spinner = {
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
    this.activeSpinner = spinner
    return spinner
  }

  /** A progress callback for src/lib that updates the spinner. */
  protected progress(spinner: Spinner): (text: string) => void {
    return (text) => {
      spinner.text = text
    }
  }

  /**
   * Ctrl-C and SIGTERM for the rest of the command: the first aborts the returned signal (the work
   * stops early and still reports), a second exits at once with EXIT.interrupted.
   */
  protected interruption(): Interruption {
    const abort = new AbortController()
    // every waiting worker listens on it (replay with --rate and many workers): no listener limit
    setMaxListeners(0, abort.signal)
    let note: () => string | undefined = () => undefined
    const second = () => {
      const text = note()
      process.stderr.write(`rcdiag: interrupted again, exiting now${text ? `; ${text}` : ''}\n`)
      process.exit(EXIT.interrupted)
    }
    const first = () => {
      for (const name of STOP_SIGNALS) {
        process.removeListener(name, first)
        process.once(name, second)
      }
      abort.abort()
    }
    for (const name of STOP_SIGNALS) process.once(name, first)
    this.stopOnClose = () => abort.abort()
    if (this.stdoutClosed) abort.abort()
    this.releaseSignals = () => {
      for (const name of STOP_SIGNALS) {
        process.removeListener(name, first)
        process.removeListener(name, second)
      }
    }
    return {
      signal: abort.signal,
      onSecond(make) {
        note = make
      },
    }
  }

  /** The human report, unless --json asked for the document instead. Stops the spinner first. */
  protected render(text: string): void {
    this.activeSpinner?.stop()
    if (!this.jsonEnabled() && !this.stdoutClosed) this.log(text.trimEnd())
  }

  /** One line of a stream on stdout (slowlog --follow), unless its reader is gone. */
  protected line(text: string): void {
    if (!this.stdoutClosed) process.stdout.write(text + '\n')
  }

  /** One NDJSON event on stdout (streams for dashboards). */
  protected emit(event: Record<string, unknown>): void {
    if (!this.stdoutClosed) process.stdout.write(JSON.stringify(event) + '\n')
  }

  /** --fail-on: EXIT.findings when a finding is at or above the level; the report is still printed in full. */
  protected failOn(findings: ReadonlyArray<Pick<Finding, 'severity'>>, level: FailOnLevel | undefined): void {
    const code = failOnExitCode(findings, level)
    if (code !== undefined) process.exitCode = code
  }

  /** Plain JSON.stringify: oclif's colorizing tokenizer is slow on large reports and colours nothing in a pipe. */
  override logJson(json: unknown): void {
    if (!this.stdoutClosed) process.stdout.write(JSON.stringify(json, null, 2) + '\n')
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    this.activeSpinner?.stop()
    this.releaseSignals?.()
    return super.finally(error)
  }

  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    this.activeSpinner?.stop()
    const {code, message, exitCode} = failureReport(err)
    if (exitCode === EXIT.ok) return // oclif's own exits (e.g. --help, --version)
    process.exitCode = exitCode
    if (err.name === 'ExitError' || (err as {code?: string}).code === 'EEXIT') throw err
    if (process.env.RCDIAG_DEBUG && err.stack) process.stderr.write(redactSecrets(err.stack) + '\n')
    process.stderr.write(`rcdiag: ${message}\n`)
    // A dashboard reading the stream sees why it ended, with the message and status the user sees.
    if (this.streaming) this.emit({type: 'error', code, message, exitCode})
    // a stream ends with its error event; a document command prints one error document (named as typed: "lab status")
    if (this.jsonEnabled() && !this.streaming && !this.stdoutClosed) {
      const command = (this.id ?? 'rcdiag').replaceAll(':', ' ')
      process.stdout.write(JSON.stringify({schemaVersion: SCHEMA_VERSION, command, error: {code, message, exitCode}}, null, 2) + '\n')
    }
    this.exit(exitCode)
  }
}

/**
 * What a failed command reports, on stderr, in its --json error document and as the last NDJSON
 * event: a stable code, one line without secrets, and the exit status of EXIT.
 */
export function failureReport(err: Error & {exitCode?: number; oclif?: {exit?: number}}): {
  code: string
  message: string
  exitCode: number
} {
  // oclif's parse errors (CLIParseError and kin carry `parse`, e.g. an option out of its list) and
  // a flag given without its value are usage errors, whatever exit status oclif attached to them.
  const parseError = ('parse' in err && err.parse !== undefined) || /^Flag --\S+ expects (a value|one of these values)/.test(err.message)
  const exitCode = err instanceof RcdiagError ? err.exitCode : parseError ? EXIT.usage : (err.oclif?.exit ?? err.exitCode ?? EXIT.failure)
  const code = err instanceof RcdiagError ? err.code : exitCode === EXIT.usage ? 'USAGE' : 'INTERNAL'
  // escaped like data from Redis: what the user typed (a target, an id) may hold terminal controls
  return {code, message: escapeBytes(redactSecrets(errorMessage(err))), exitCode}
}
