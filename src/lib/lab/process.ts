import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'

/**
 * Lab processes by PID, never by name. A PID is only signalled while it still belongs to a
 * redis-server, so a recycled PID is never killed.
 */

const HAS_PROC = existsSync('/proc/self/cmdline')

const validPid = (pid: unknown): pid is number => typeof pid === 'number' && Number.isInteger(pid) && pid > 1

/** The command line of a live process ('' when it is gone or a zombie). */
function commandLine(pid: number): string {
  if (HAS_PROC) {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
    } catch {
      return ''
    }
  }
  try {
    process.kill(pid, 0)
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], {encoding: 'utf8', timeout: 2000})
  } catch {
    return ''
  }
}

/** The PID is a live redis-server or valkey-server (the binaries a lab runs). */
export function isRedisPid(pid: number): boolean {
  if (!validPid(pid)) return false
  const command = commandLine(pid)
  return command.includes('redis-server') || command.includes('valkey-server')
}

function signal(pid: number, sig: NodeJS.Signals): void {
  if (!isRedisPid(pid)) return
  try {
    process.kill(pid, sig)
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** SIGTERM the redis-server PIDs, wait, SIGKILL those still alive after `graceMs`, wait for them to go. */
export async function stopPids(pids: number[], graceMs = 3000): Promise<void> {
  let alive = pids.filter(isRedisPid)
  for (const pid of alive) {
    signal(pid, 'SIGTERM')
    signal(pid, 'SIGCONT') // a test may have paused it (SIGSTOP): let it see the SIGTERM
  }
  const termDeadline = Date.now() + graceMs
  while (alive.length > 0 && Date.now() < termDeadline) {
    await sleep(25)
    alive = alive.filter(isRedisPid)
  }
  for (const pid of alive) signal(pid, 'SIGKILL')
  const killDeadline = Date.now() + 2000
  while (alive.length > 0 && Date.now() < killDeadline) {
    await sleep(25)
    alive = alive.filter(isRedisPid)
  }
}

/** For exit handlers: SIGKILL now, synchronously. */
export function killPidsSync(pids: Iterable<number>): void {
  for (const pid of pids) signal(pid, 'SIGKILL')
}
