/** Smoke tests of the CLI itself: every command is reachable through bin/run.js and bin/dev.js. */
import {execFile} from 'node:child_process'
import {readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {runCli} from '../helpers/cli.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Command ids from the source tree: src/commands/lab/up.ts → "lab up". */
function commandIds(dir = join(ROOT, 'src/commands'), prefix: string[] = []): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) return commandIds(full, [...prefix, name])
    return name.endsWith('.ts') ? [[...prefix, name.replace(/\.ts$/, '')].filter((p) => p !== 'index').join(' ')] : []
  })
}

function helpOf(bin: string, args: string[]): Promise<string> {
  const env = {...process.env}
  delete env.NODE_ENV
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...(bin === 'dev' ? ['--import', 'tsx'] : []), join(ROOT, `bin/${bin}.js`), ...args],
      {cwd: ROOT, env},
      (_e, stdout) => resolve(String(stdout)),
    )
  })
}

describe('the CLI', () => {
  const ids = commandIds()

  it('finds the commands in the source tree', () => {
    expect(ids).toEqual(expect.arrayContaining(['probe', 'replay', 'slowlog', 'lab up', 'lab down', 'lab status']))
  })

  for (const bin of ['run', 'dev']) {
    it(`bin/${bin}.js --help lists every command (a stale manifest or a broken tsx would not)`, async () => {
      const top = await helpOf(bin, ['--help'])
      const lab = await helpOf(bin, ['lab', '--help'])
      for (const id of ids) expect(id.startsWith('lab ') ? lab : top, `${bin}: ${id}`).toContain(id)
    })
  }

  it('every command answers --help with its usage', async () => {
    for (const id of ids) {
      const result = await runCli([...id.split(' '), '--help'])
      expect(result.code, id).toBe(0)
      expect(result.stdout, id).toMatch(/USAGE/)
    }
  })
})
