import {renameSync, writeFileSync} from 'node:fs'
import {mkdir, open, readFile, rename, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

import {labError, usageError} from '../shared/errors.js'
import type {LabState} from './types.js'

/** Lab state files: where they live, reading, atomic writing, and a start lock per name. */

export const DEFAULT_LAB_NAME = 'default'

export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.RCDIAG_LAB_DIR || join(tmpdir(), 'rcdiag-labs'))
}

export function validateLabName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name))
    throw usageError(`invalid lab name ${JSON.stringify(name)}: use letters, digits, '.', '_' and '-' (at most 64)`)
  return name
}

export const stateFilePath = (stateDir: string, name: string) => join(stateDir, `${name}.json`)
const lockFilePath = (stateDir: string, name: string) => join(stateDir, `${name}.lock`)

export async function readStateFile(file: string): Promise<LabState | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw labError(`cannot read lab state ${file}: ${(error as Error).message}`)
  }
  try {
    const state = JSON.parse(text) as LabState
    if (!state || !Array.isArray(state.nodes)) throw new Error('no nodes')
    return state
  } catch (error) {
    throw labError(`lab state ${file} is corrupt (${(error as Error).message}); delete it once its servers are stopped`)
  }
}

/** Written atomically (rename) and private: it may hold the lab's password. */
export async function writeStateFile(state: LabState): Promise<void> {
  const tmp = `${state.stateFile}.${process.pid}.tmp`
  await writeFile(tmp, JSON.stringify(state, null, 2) + '\n', {mode: 0o600})
  await rename(tmp, state.stateFile)
}

/** The same, synchronously: between spawning servers, so that no PID goes unrecorded. */
export function writeStateFileSync(state: LabState): void {
  const tmp = `${state.stateFile}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n', {mode: 0o600})
  renameSync(tmp, state.stateFile)
}

export async function removeStateFile(file: string): Promise<void> {
  await rm(file, {force: true})
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** A lock file whose holder has not written its PID yet is busy for a moment. */
async function youngerThan(file: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(file)).mtimeMs < ms
  } catch {
    return false
  }
}

/** Held while a lab starts, so two starts of one name cannot race. A dead holder's lock is taken over. */
export async function acquireStartLock(stateDir: string, name: string): Promise<() => Promise<void>> {
  await mkdir(stateDir, {recursive: true})
  const file = lockFilePath(stateDir, name)
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600)
      await handle.writeFile(String(process.pid))
      await handle.close()
      return () => rm(file, {force: true})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim())
      const busy = Number.isInteger(holder) && holder > 0 ? pidAlive(holder) : await youngerThan(file, 2000)
      if (busy) throw labError(`lab "${name}" is being started by another process${holder ? ` (pid ${holder})` : ''}`)
      await rm(file, {force: true})
    }
  }
  throw labError(`cannot take the start lock ${file}`)
}
