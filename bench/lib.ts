// What both benchmarks share: paths, the lab code, child environment, lab lifecycle with signal
// handling (first Ctrl-C: stop gracefully; second: kill at once), and number formatting.
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import type * as labModule from '../src/lib/lab/index.js'
import type {LabOptions, LabState} from '../src/lib/lab/index.js'

export type {LabNode, LabState} from '../src/lib/lab/index.js'

export const root = fileURLToPath(new URL('..', import.meta.url))
export const run = join(root, 'bin', 'run.js')
export const log = (...a: unknown[]): void => console.error(...a) // progress on stderr; results on stdout

/** The message of a thrown value (an Error's message, anything else as a string). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The lab functions a bench run needs: start and stop a lab, kill its servers in an exit handler. */
export interface LabCode {
  lab: Pick<typeof labModule, 'startLab' | 'stopLab'>
  killPidsSync: (pids: Iterable<number>) => void
}

/**
 * The lab code, from the TypeScript sources (run through tsx: `node --import tsx bench/<x>.ts`), the
 * same code as `rcdiag lab up`. What is measured is the built CLI (bin/run.js and dist/), so this exits
 * 2 when it is not built, as when the lab code cannot be loaded.
 */
export async function loadLab(): Promise<LabCode> {
  if (!existsSync(join(root, 'dist', 'commands'))) {
    console.error('bench: the CLI is not built (no dist/commands); run `npm run build` first')
    process.exit(2)
  }
  try {
    const lab = await import('../src/lib/lab/index.js')
    const {killPidsSync} = await import('../src/lib/lab/process.js')
    return {lab, killPidsSync}
  } catch (error) {
    console.error(`bench: cannot load the lab code from src/lib/lab (${errorMessage(error)}); run it with \`node --import tsx\``)
    process.exit(2)
  }
}

export function flagValue(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : undefined
}

/** Children run without NODE_ENV (oclif changes behaviour on it), colour, DEBUG, passwords or profilers. */
export function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...process.env}
  for (const key of ['NODE_ENV', 'DEBUG', 'FORCE_COLOR', 'REDISCLI_AUTH', 'NODE_OPTIONS']) delete env[key]
  env.NO_COLOR = '1'
  return env
}

export interface LabSessionOptions {
  /** Prefix of the private state dir in the OS temp dir. */
  prefix: string
  /** Runs on the first signal (e.g. to SIGINT a running child). */
  onInterrupt?: () => void
  /** Runs on the second signal or at exit. */
  onEmergency?: () => void
}

export interface LabSession {
  readonly stateDir: string
  /** The labs started and not (yet) stopped, in start order. */
  readonly labs: LabState[]
  readonly signal: AbortSignal
  readonly interrupted: boolean
  /** Throws once a signal came. */
  checkInterrupted(): void
  start(options: Omit<LabOptions, 'stateDir' | 'signal'>): Promise<LabState>
  /** Stops every lab; false if one could not be stopped. */
  stopAll(): Promise<boolean>
}

/**
 * Labs started for one bench run, in a private state dir, always stopped. `onInterrupt` runs on the
 * first signal (e.g. to SIGINT a running child), `onEmergency` on the second or at exit.
 */
export function labSession(
  {lab, killPidsSync}: LabCode,
  {prefix, onInterrupt = () => {}, onEmergency = () => {}}: LabSessionOptions,
): LabSession {
  const stateDir = mkdtempSync(join(tmpdir(), prefix))
  const labs: LabState[] = []
  const abort = new AbortController()
  let interrupted = false
  const emergency = () => {
    onEmergency()
    for (const state of labs.splice(0)) {
      try {
        killPidsSync(state.nodes.map((n) => n.pid))
      } catch {
        // best effort at exit: the servers may be gone already
      }
    }
    try {
      rmSync(stateDir, {recursive: true, force: true})
    } catch {
      // best effort at exit: a temp dir left behind is harmless
    }
  }
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) {
      emergency()
      process.exit(130)
    }
    interrupted = true
    log(`\nbench: ${signal}: stopping...`)
    abort.abort()
    onInterrupt()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  process.on('exit', emergency) // last resort; normally `labs` is empty by then
  return {
    stateDir,
    labs,
    signal: abort.signal,
    get interrupted() {
      return interrupted
    },
    checkInterrupted() {
      if (interrupted) throw new Error('interrupted')
    },
    async start(options) {
      const state = await lab.startLab({...options, stateDir, signal: abort.signal})
      labs.push(state)
      return state
    },
    async stopAll() {
      let ok = true
      for (const state of [...labs].reverse()) {
        try {
          await lab.stopLab(state)
          labs.splice(labs.indexOf(state), 1)
        } catch (error) {
          console.error(`bench: stopping lab ${state.name} failed: ${errorMessage(error)}`)
          ok = false
        }
      }
      rmSync(stateDir, {recursive: true, force: true})
      return ok
    },
  }
}

/** Median of the defined numbers; undefined for none. */
export function median(xs: ReadonlyArray<number | undefined>): number | undefined {
  const s = xs.filter((x): x is number => x !== undefined && !Number.isNaN(x)).sort((a, b) => a - b)
  if (s.length === 0) return undefined
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const fixed =
  (digits: number) =>
  (x: number | undefined): string =>
    x === undefined || Number.isNaN(x) ? '-' : x.toFixed(digits)
export const f0 = fixed(0)
export const f1 = fixed(1)
export const f2 = fixed(2)
export const f3 = fixed(3)
