import {readFileSync} from 'node:fs'

import {Ajv} from 'ajv'
import addFormatsModule from 'ajv-formats'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

// strict mode: a schema that names a required field it does not define, or has an unknown keyword, fails to compile
const ajv = new Ajv({allErrors: true, strict: true, allowUnionTypes: true})
addFormats(ajv)

/** Validates a document against one of the schemas/ files; returns the errors as text ('' when valid). */
export function schemaErrors(schemaFile: string, document: unknown): string {
  const schema = JSON.parse(readFileSync(new URL(`../../schemas/${schemaFile}`, import.meta.url), 'utf8'))
  const validate = ajv.getSchema(schema.$id) ?? ajv.compile(schema)
  return validate(document) ? '' : ajv.errorsText(validate.errors, {separator: '\n'})
}
