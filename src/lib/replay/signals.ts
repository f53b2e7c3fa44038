/** Ctrl-C and SIGTERM during a replay. */
export interface SignalTrap {
  signal: AbortSignal
  /** the run's keys were written: named in the message of a second signal */
  keysWritten(keys: {prefix: string; ttlSec: number}): void
  /** removes the handlers (the command is done) */
  release(): void
}

/**
 * The first Ctrl-C (or SIGTERM) aborts: the current phase ends at once, the replay's keys are removed
 * and the partial report is printed (exit 130). A second one exits at once with 130, without waiting
 * for that cleanup: the keys were written with a TTL, so whatever the cleanup had not reached yet
 * expires by itself; the message names their prefix.
 */
export function trapSignals(): SignalTrap {
  const abort = new AbortController()
  let keys: {prefix: string; ttlSec: number} | undefined
  const second = () => {
    const left = keys ? `; replay keys under ${keys.prefix} not yet removed expire within ${keys.ttlSec} s` : ''
    process.stderr.write(`rcdiag: interrupted again, exiting now${left}\n`)
    process.exit(130)
  }
  const first = () => {
    process.removeListener('SIGINT', first)
    process.removeListener('SIGTERM', first)
    process.once('SIGINT', second)
    process.once('SIGTERM', second)
    abort.abort()
  }
  process.once('SIGINT', first)
  process.once('SIGTERM', first)
  return {
    signal: abort.signal,
    keysWritten: (written) => {
      keys = written
    },
    release() {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.removeListener(signal, first)
        process.removeListener(signal, second)
      }
    },
  }
}
