import {readdirSync, readFileSync} from 'node:fs'

import {Ajv} from 'ajv'
import addFormatsModule from 'ajv-formats'
import {describe, expect, it} from 'vitest'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
const dir = new URL('../../../schemas/', import.meta.url)
const files = readdirSync(dir).filter((name) => name.endsWith('.schema.json'))

describe('every JSON schema compiles in ajv strict mode', () => {
  it('there is one per document rcdiag prints', () => {
    expect(files.sort()).toEqual(['explain.schema.json', 'probe.schema.json', 'replay.schema.json', 'slowlog.schema.json'])
  })

  it.each(files)('%s', (file) => {
    const ajv = addFormats(new Ajv({allErrors: true, strict: true, allowUnionTypes: true}))
    const schema: unknown = JSON.parse(readFileSync(new URL(file, dir), 'utf8'))
    expect(() => ajv.compile(schema as object)).not.toThrow()
  })
})
