import {execFile} from 'node:child_process'
import {accessSync, constants, statSync} from 'node:fs'
import {basename, delimiter, join, resolve} from 'node:path'
import {promisify} from 'node:util'

import type {ServerIdentity} from '../parse/server.js'
import {RcdiagError, labError, usageError} from '../shared/errors.js'

/** Finding the server binary a lab runs (redis-server or valkey-server) and what it is. */

const run = promisify(execFile)
const identities = new Map<string, ServerIdentity>()

/** The server binaries a lab can run, in the order PATH is searched for them. */
export const SERVER_BINARIES = ['redis-server', 'valkey-server'] as const

/**
 * The binary to run: `explicit` (--server-bin) when given, else redis-server on PATH, else
 * valkey-server. As found (not resolved: on Debian redis-server is a symlink whose name decides
 * what the binary does, and the name is how a lab's PIDs are recognised).
 */
export function findServerBinary(explicit?: string, pathEnv: string | undefined = process.env.PATH): string {
  if (explicit !== undefined) {
    if (!isExecutableFile(explicit)) throw usageError(`--server-bin ${explicit}: not an executable file`)
    // absolute: the servers start in their own data directories
    return resolve(explicit)
  }
  for (const name of SERVER_BINARIES) {
    for (const dir of (pathEnv ?? '').split(delimiter)) {
      if (dir && isExecutableFile(join(dir, name))) return join(dir, name)
    }
  }
  throw new RcdiagError(
    'REDIS_SERVER_MISSING',
    'neither redis-server nor valkey-server was found on PATH; install one (Debian/Ubuntu: apt-get install redis-server, macOS: brew install redis), add its directory to PATH, or give --server-bin',
  )
}

/**
 * Vendor and version from `--version`: "Redis server v=7.0.15 …", "Valkey server v=8.0.1 …", and
 * Valkey 7.2's "Server v=7.2.7 …" (told apart by its binary's name).
 */
export async function serverBinaryIdentity(bin: string): Promise<ServerIdentity> {
  const cached = identities.get(bin)
  if (cached) return cached
  let stdout: string
  try {
    ;({stdout} = await run(bin, ['--version'], {timeout: 5000}))
  } catch (error) {
    throw labError(`${bin} --version failed: ${(error as Error).message.split('\n')[0]}`)
  }
  const version = /v=(\d+\.\d+\.\d+)/.exec(stdout)?.[1]
  if (!version) throw labError(`${bin} --version printed no version (is it a Redis or Valkey server?)`)
  const vendor = /^valkey/i.test(stdout) || basename(bin).includes('valkey') ? 'valkey' : 'redis'
  const identity = {vendor, version}
  identities.set(bin, identity)
  return identity
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}
