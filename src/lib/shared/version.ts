import {readFileSync} from 'node:fs'

/** package.json sits two levels above both src/lib and dist/lib. */
export const RCDIAG_VERSION: string = (() => {
  try {
    return JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version as string
  } catch {
    return '0.0.0'
  }
})()

/** Bumped whenever a JSON field is renamed or removed; new fields keep the version. */
export const SCHEMA_VERSION = 1
