import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>
  files: string[]
  oclif: {additionalHelpFlags?: string[]; hooks?: Record<string, string>}
  engines: {node: string}
}

describe('the first hour: what npm ci and npm pack give', () => {
  it('npm ci builds dist/ (prepare), so ./bin/run.js works right after install, and npm pack ships it', () => {
    expect(pkg.scripts.prepare).toBe('npm run build')
    expect(pkg.files).toEqual(expect.arrayContaining(['bin', 'dist', 'schemas', 'oclif.manifest.json']))
  })

  it("the build does not print oclif's update notice (the newer oclif needs Node 22)", () => {
    expect(pkg.scripts.build).toMatch(/OCLIF_SKIP_NEW_VERSION_CHECK=true oclif manifest/)
  })

  it('-h is help, and an unknown command goes through our hook (exit 2, suggestions)', () => {
    expect(pkg.oclif.additionalHelpFlags).toEqual(['-h'])
    expect(pkg.oclif.hooks?.command_not_found).toBe('./dist/cli/hooks/command-not-found.js')
  })
})
