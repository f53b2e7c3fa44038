import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {cruise, type ICruiseOptions, type ICruiseResult, type IViolation} from 'dependency-cruiser'
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options'
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config'
import {beforeAll, describe, expect, it} from 'vitest'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const FIXTURE = resolve(ROOT, 'test/fixtures/dependency-rule')
const TSCONFIG = resolve(ROOT, 'tsconfig.json')

let options: ICruiseOptions

/** Cruise `src` under baseDir with the project's own rule set from .dependency-cruiser.cjs, as `npm run deps` does. */
async function cruiseSrc(baseDir: string): Promise<ICruiseResult> {
  const reported = await cruise(
    ['src'],
    {...options, baseDir, tsConfig: {fileName: TSCONFIG}, outputType: 'json'},
    {},
    {tsConfig: extractTSConfig(TSCONFIG)},
  )
  return typeof reported.output === 'string' ? (JSON.parse(reported.output) as ICruiseResult) : reported.output
}

const brief = (v: IViolation) => ({rule: v.rule.name, severity: v.rule.severity, from: v.from, to: v.to})

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  beforeAll(async () => {
    options = await extractDepcruiseOptions(resolve(ROOT, '.dependency-cruiser.cjs'))
  })

  it('loads the rule set with type-only imports visible', () => {
    expect(options.validate).toBe(true)
    expect(options.tsPreCompilationDeps).toBe(true)
    expect(options.ruleSet?.forbidden?.map((rule) => rule.name)).toEqual(
      expect.arrayContaining(['findings-not-to-redis', 'evidence-sees-redis-types-only', 'not-to-unresolvable']),
    )
  })

  it('flags a finding that imports src/lib/redis, and lets evidence import a redis type', async () => {
    const result = await cruiseSrc(FIXTURE)
    const violations = result.summary.violations.map(brief)

    expect(violations).toContainEqual({
      rule: 'findings-not-to-redis',
      severity: 'error',
      from: 'src/lib/findings/bad-finding.ts',
      to: 'src/lib/redis/connection.ts',
    })
    // findings may not see redis/ at all, not even its types
    expect(violations).toContainEqual({
      rule: 'findings-not-to-redis',
      severity: 'error',
      from: 'src/lib/findings/type-only-finding.ts',
      to: 'src/lib/redis/connection.ts',
    })
    // evidence may see redis/ types, but not its code
    expect(violations).toContainEqual({
      rule: 'evidence-sees-redis-types-only',
      severity: 'error',
      from: 'src/lib/evidence/bad-evidence.ts',
      to: 'src/lib/redis/connection.ts',
    })
    // the good fixture: `import type` from evidence into redis/ is no violation
    expect(violations.filter((v) => v.from === 'src/lib/evidence/ok.ts')).toEqual([])
    // output may not reach redis/ through another module either (a feature's re-export)
    expect(violations).toContainEqual({
      rule: 'output-never-reaches-redis',
      severity: 'error',
      from: 'src/lib/render/leaky.ts',
      to: 'src/lib/redis/connection.ts',
    })
    expect(violations.filter((v) => v.from === 'src/lib/slowlog/relay.ts')).toEqual([])
    // the two bad findings also break findings-never-reach-redis (the transitive form of the rule)
    expect(
      violations
        .filter((v) => v.rule === 'findings-never-reach-redis')
        .map((v) => v.from)
        .sort(),
    ).toEqual(['src/lib/findings/bad-finding.ts', 'src/lib/findings/type-only-finding.ts'])
    expect(violations).toHaveLength(6)
    // the `.js` specifiers resolved to the `.ts` sources
    expect(result.summary.totalDependenciesCruised).toBe(6)
  })

  it('passes on the real src tree with no error-severity violation', async () => {
    const result = await cruiseSrc(ROOT)
    const errors = result.summary.violations.filter((v) => v.rule.severity === 'error').map(brief)
    expect(errors).toEqual([])
  })
})
