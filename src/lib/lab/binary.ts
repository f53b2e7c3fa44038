import {execFile} from 'node:child_process'
import {accessSync, constants, statSync} from 'node:fs'
import {delimiter, join} from 'node:path'
import {promisify} from 'node:util'

import {RcdiagError, labError} from '../shared/errors.js'

/** Finding the redis-server on PATH and its version. */

const run = promisify(execFile)
const versions = new Map<string, string>()

/**
 * The redis-server on PATH, as found there (not resolved: on Debian it is a symlink whose name
 * decides what the binary does, and the name is how a lab's PIDs are recognised).
 */
export function findRedisServer(pathEnv: string | undefined = process.env.PATH): string {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, 'redis-server')
    try {
      accessSync(candidate, constants.X_OK)
      if (statSync(candidate).isFile()) return candidate
    } catch {
      // not here
    }
  }
  throw new RcdiagError(
    'REDIS_SERVER_MISSING',
    'redis-server was not found on PATH; install it (Debian/Ubuntu: apt-get install redis-server, macOS: brew install redis) or add its directory to PATH',
  )
}

/** e.g. '7.0.15' */
export async function redisServerVersion(bin: string): Promise<string> {
  const cached = versions.get(bin)
  if (cached) return cached
  let stdout: string
  try {
    ;({stdout} = await run(bin, ['--version'], {timeout: 5000}))
  } catch (error) {
    throw labError(`${bin} --version failed: ${(error as Error).message.split('\n')[0]}`)
  }
  const version = /v=(\d+\.\d+\.\d+)/.exec(stdout)?.[1] ?? '0.0.0'
  versions.set(bin, version)
  return version
}

export function versionAtLeast(version: string, major: number, minor = 0): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number)
  return a > major || (a === major && b >= minor)
}
