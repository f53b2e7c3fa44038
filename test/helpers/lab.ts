/**
 * Real local labs for integration tests: the same code as `rcdiag lab up`, a unique name and a
 * private state directory per call, and a safety net that SIGKILLs the servers when the test
 * process exits without stopping them.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {isRedisPid, startLab, stopLab, type LabOptions, type LabState} from '../../src/lib/lab/index.js'

export interface TestLab {
  state: LabState
  /** host:port of the first node */
  seed: string
  stop(): Promise<void>
}

const live = new Map<string, {pids: number[]; dirs: string[]}>()
let netInstalled = false
let counter = 0

function installSafetyNet(): void {
  if (netInstalled) return
  netInstalled = true
  process.once('exit', () => {
    for (const {pids, dirs} of live.values()) {
      for (const pid of pids) {
        try {
          if (isRedisPid(pid)) process.kill(pid, 'SIGKILL')
        } catch {
          // gone
        }
      }
      for (const dir of dirs) rmSync(dir, {recursive: true, force: true})
    }
  })
}

export async function withLab(opts: LabOptions = {}): Promise<TestLab> {
  installSafetyNet()
  const stateDir = mkdtempSync(join(tmpdir(), 'rcdiag-test-lab-'))
  const name = `t${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`
  let state: LabState
  try {
    state = await startLab({...opts, name, stateDir})
  } catch (error) {
    rmSync(stateDir, {recursive: true, force: true})
    throw error
  }
  live.set(name, {pids: state.nodes.map((n) => n.pid), dirs: [state.dataDir, stateDir]})
  let stopped: Promise<void> | undefined
  return {
    state,
    seed: state.seed,
    stop() {
      stopped ??= (async () => {
        await stopLab(state)
        rmSync(stateDir, {recursive: true, force: true})
        live.delete(name)
      })()
      return stopped
    },
  }
}
