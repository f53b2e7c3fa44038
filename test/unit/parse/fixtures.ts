import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const DIR = fileURLToPath(new URL('../../fixtures/redis7/', import.meta.url))

export const fixtureText = (name: string): string => readFileSync(DIR + name, 'utf8')

/** JSON fixtures store Buffers as {"type":"Buffer","data":[...]}; turn them back into Buffers. */
export const fixtureJson = (name: string): unknown =>
  JSON.parse(fixtureText(name), (_key, value: unknown) => {
    const v = value as {type?: unknown; data?: unknown} | null
    return v && v.type === 'Buffer' && Array.isArray(v.data) ? Buffer.from(v.data as number[]) : value
  })
