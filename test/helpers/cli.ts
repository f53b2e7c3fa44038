import {execFile} from 'node:child_process'
import {fileURLToPath} from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const RUN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

export interface CliResult {
  code: number
  stdout: string
  stderr: string
  ms: number
}

/** Runs the built CLI (dist/, via bin/run.js) as a user would; never throws on a non-zero exit. */
export function runCli(args: string[], options: {env?: NodeJS.ProcessEnv; timeoutMs?: number} = {}): Promise<CliResult> {
  const started = Date.now()
  const env = {...process.env, ...options.env}
  delete env.REDISCLI_AUTH
  // vitest sets NODE_ENV=test, which puts oclif in development mode; users run without it.
  delete env.NODE_ENV
  if (options.env?.REDISCLI_AUTH) env.REDISCLI_AUTH = options.env.REDISCLI_AUTH
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [RUN, ...args],
      {cwd: ROOT, env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024},
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 124) : 0
        resolve({code, stdout: String(stdout), stderr: String(stderr), ms: Date.now() - started})
      },
    )
  })
}

/**
 * Parses stdout as exactly one JSON document (fails the test otherwise). Name the document type the
 * command prints, e.g. `parseJson<ProbeReport>(result)`; it is not checked, only assumed (use
 * schemaErrors for that).
 */
export function parseJson<T = unknown>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T
  } catch {
    throw new Error(
      `stdout is not one JSON document (exit ${result.code}):\n${result.stdout.slice(0, 2000)}\nstderr:\n${result.stderr.slice(0, 2000)}`,
    )
  }
}
