import {expectString, lines, replyError, toNumber} from './reply.js'
import type {ClientEntry} from './types.js'

const REPLY = 'CLIENT LIST'

/** One line per client: "id=3 addr=... name= age=5 idle=1 ... cmd=client|list user=default ...". */
export function parseClientList(text: string): ClientEntry[] {
  return lines(expectString(text, REPLY)).map((line, index) => {
    const raw: Record<string, string> = {}
    let last: string | undefined
    for (const token of line.trim().split(' ')) {
      const eq = token.indexOf('=')
      if (eq > 0) {
        last = token.slice(0, eq)
        raw[last] = token.slice(eq + 1)
      } else if (last !== undefined) {
        // Redis forbids spaces in names, but be lossless if a proxy or future field sends one.
        raw[last] += ` ${token}`
      }
    }
    const what = (field: string) => `line ${index + 1} field "${field}"`
    if (raw.id === undefined || raw.addr === undefined) {
      throw replyError(REPLY, `line ${index + 1} is not a client entry: ${JSON.stringify(line.slice(0, 80))}`)
    }
    const entry: ClientEntry = {
      id: toNumber(raw.id, REPLY, what('id')),
      addr: raw.addr,
      name: raw.name ?? '',
      age: toNumber(raw.age, REPLY, what('age')),
      idle: toNumber(raw.idle, REPLY, what('idle')),
      flags: raw.flags ?? '',
      db: raw.db === undefined ? 0 : toNumber(raw.db, REPLY, what('db')),
      cmd: raw.cmd ?? '',
      raw,
    }
    // Optional by version: laddr (6.2+), user (6.0+), lib-name/lib-ver (7.2+).
    if (raw.laddr !== undefined) entry.laddr = raw.laddr
    if (raw.user !== undefined) entry.user = raw.user
    if (raw['lib-name'] !== undefined) entry.libName = raw['lib-name']
    if (raw['lib-ver'] !== undefined) entry.libVer = raw['lib-ver']
    return entry
  })
}
