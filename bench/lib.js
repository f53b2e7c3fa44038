// What both benchmarks share: paths, the built lab code, child environment, lab lifecycle with
// signal handling (first Ctrl-C: stop gracefully; second: kill at once), and number formatting.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const root = fileURLToPath(new URL('..', import.meta.url))
export const run = join(root, 'bin', 'run.js')
export const log = (...a) => console.error(...a) // progress on stderr; results on stdout

/** The lab code from dist/ (the bench measures the built CLI). Exits 2 when it is not built. */
export async function loadBuiltLab() {
  try {
    const lab = await import('../dist/lib/lab/index.js')
    const {killPidsSync} = await import('../dist/lib/lab/process.js')
    return {lab, killPidsSync}
  } catch (error) {
    console.error(`bench: cannot load the built lab code (${error.message}); run \`npm run build\` first`)
    process.exit(2)
  }
}

export function flagValue(argv, name) {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : undefined
}

/** Children run without NODE_ENV (oclif changes behaviour on it), colour, DEBUG, passwords or profilers. */
export function childEnv() {
  const env = {...process.env}
  for (const key of ['NODE_ENV', 'DEBUG', 'FORCE_COLOR', 'REDISCLI_AUTH', 'NODE_OPTIONS']) delete env[key]
  env.NO_COLOR = '1'
  return env
}

/**
 * Labs started for one bench run, in a private state dir, always stopped. `onInterrupt` runs on the
 * first signal (e.g. to SIGINT a running child), `onEmergency` on the second or at exit.
 */
export function labSession({lab, killPidsSync}, {prefix, onInterrupt = () => {}, onEmergency = () => {}}) {
  const stateDir = mkdtempSync(join(tmpdir(), prefix))
  const labs = []
  const abort = new AbortController()
  let interrupted = false
  const emergency = () => {
    onEmergency()
    for (const state of labs.splice(0)) {
      try {
        killPidsSync(state.nodes.map((n) => n.pid))
      } catch {}
    }
    try {
      rmSync(stateDir, {recursive: true, force: true})
    } catch {}
  }
  const onSignal = (signal) => {
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
    /** Stops every lab; false if one could not be stopped. */
    async stopAll() {
      let ok = true
      for (const state of [...labs].reverse()) {
        try {
          await lab.stopLab(state)
          labs.splice(labs.indexOf(state), 1)
        } catch (error) {
          console.error(`bench: stopping lab ${state.name} failed: ${error.message}`)
          ok = false
        }
      }
      rmSync(stateDir, {recursive: true, force: true})
      return ok
    },
  }
}

/** Median of the defined numbers; undefined for none. */
export function median(xs) {
  const s = xs.filter((x) => x !== undefined && !Number.isNaN(x)).sort((a, b) => a - b)
  if (s.length === 0) return undefined
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const fixed = (digits) => (x) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(digits))
export const f0 = fixed(0)
export const f1 = fixed(1)
export const f2 = fixed(2)
export const f3 = fixed(3)
