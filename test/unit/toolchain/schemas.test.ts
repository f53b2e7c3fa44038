import {readdirSync, readFileSync} from 'node:fs'

import {Ajv} from 'ajv'
import addFormatsModule from 'ajv-formats'
import {describe, expect, it} from 'vitest'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
const dir = new URL('../../../schemas/', import.meta.url)
const files = readdirSync(dir).filter((name) => name.endsWith('.schema.json'))

describe('every JSON schema compiles in ajv strict mode', () => {
  it('there is one per document rcdiag prints', () => {
    expect(files.sort()).toEqual([
      'explain.schema.json',
      'lab.schema.json',
      'probe.schema.json',
      'replay-events.schema.json',
      'replay.schema.json',
      'slowlog-follow.schema.json',
      'slowlog.schema.json',
      'watch-events.schema.json',
      'watch.schema.json',
    ])
  })

  it.each(files)('%s', (file) => {
    const ajv = addFormats(new Ajv({allErrors: true, strict: true, allowUnionTypes: true}))
    const schema: unknown = JSON.parse(readFileSync(new URL(file, dir), 'utf8'))
    expect(() => ajv.compile(schema as object)).not.toThrow()
  })
})

describe('the skipped-check names the code can produce are all in the schemas', () => {
  it.each(['probe.schema.json', 'replay.schema.json', 'replay-events.schema.json'])('%s', async (file) => {
    const {plannedCommands} = await import('../../../src/lib/redis/commands.js')
    const schema = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Record<string, unknown>
    const enums: string[][] = []
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk)
      else if (node && typeof node === 'object') {
        const record = node as Record<string, unknown>
        const check = (record.properties as Record<string, {enum?: string[]}> | undefined)?.check
        if (check?.enum) enums.push(check.enum)
        Object.values(record).forEach(walk)
      }
    }
    walk(schema)
    expect(enums.length).toBeGreaterThan(0)
    // every command of the snapshot pipeline, the topology refusal, and what old servers cannot tell
    const produced = [
      ...new Set([...plannedCommands('cluster').map((c) => c.check), 'topology', 'errorstats', 'latencystats', 'commandstats']),
    ]
    for (const list of enums) expect(list).toEqual(expect.arrayContaining(produced))
  })
})
