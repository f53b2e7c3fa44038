import {expectString, lines, replyError, toNumber} from './reply.js'
import type {ClusterNodeLine} from './types.js'

const REPLY = 'CLUSTER NODES'

/**
 * "<ip>:<port>@<cport>[,<hostname>[,<aux>=<value>...]]". The IP may be IPv6 without brackets, so the
 * port is after the LAST colon. A node without a known address is ":0@0" (flag noaddr).
 */
function parseAddress(field: string, where: string) {
  const [endpoint, hostname, ...auxFields] = field.split(',')
  const at = endpoint.indexOf('@')
  const hostPort = at >= 0 ? endpoint.slice(0, at) : endpoint // pre-4.0 had no "@cport"
  const colon = hostPort.lastIndexOf(':')
  if (colon < 0) throw replyError(REPLY, `${where}: address ${JSON.stringify(field)} has no port`)
  const host = hostPort.slice(0, colon).replace(/^\[(.*)\]$/, '$1')
  const port = toNumber(hostPort.slice(colon + 1), REPLY, `${where} port`)
  const cport = at >= 0 ? toNumber(endpoint.slice(at + 1), REPLY, `${where} cluster bus port`) : 0
  const aux: Record<string, string> = {}
  for (const item of auxFields) {
    const eq = item.indexOf('=')
    if (eq > 0) aux[item.slice(0, eq)] = item.slice(eq + 1)
  }
  const address = host === '' ? '' : host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
  return {address, host, port, cport, hostname: hostname || undefined, aux}
}

export function parseClusterNodes(text: string): ClusterNodeLine[] {
  return lines(expectString(text, REPLY)).map((line, index) => {
    const where = `line ${index + 1}`
    const fields = line.trim().split(/\s+/)
    if (fields.length < 8) {
      throw replyError(REPLY, `${where} has ${fields.length} fields, expected at least 8: ${JSON.stringify(line.slice(0, 120))}`)
    }
    const [id, addressField, flagField, master, pingSent, pongRecv, configEpoch, linkState, ...slotFields] = fields
    const {aux, hostname, ...address} = parseAddress(addressField, where)
    const flags = flagField === 'noflags' ? [] : flagField.split(',')
    const node: ClusterNodeLine = {
      id,
      ...address,
      flags,
      myself: flags.includes('myself'),
      // A handshake/noaddr node may carry neither flag; its master field still tells the truth.
      role: flags.includes('slave') || (!flags.includes('master') && master !== '-') ? 'replica' : 'master',
      pingSent: toNumber(pingSent, REPLY, `${where} ping-sent`),
      pongRecv: toNumber(pongRecv, REPLY, `${where} pong-recv`),
      configEpoch: toNumber(configEpoch, REPLY, `${where} config-epoch`),
      linkState: linkState === 'connected' ? 'connected' : 'disconnected',
      slots: [],
      migrating: [],
      importing: [],
    }
    if (hostname !== undefined) node.hostname = hostname
    if (Object.keys(aux).length > 0) node.aux = aux
    if (master !== '-') node.masterId = master
    for (const slot of slotFields) {
      let m: RegExpExecArray | null
      if ((m = /^(\d+)(?:-(\d+))?$/.exec(slot))) {
        node.slots.push([Number(m[1]), Number(m[2] ?? m[1])])
      } else if ((m = /^\[(\d+)->-([^\]]+)\]$/.exec(slot))) {
        node.migrating.push({slot: Number(m[1]), toNodeId: m[2]})
      } else if ((m = /^\[(\d+)-<-([^\]]+)\]$/.exec(slot))) {
        node.importing.push({slot: Number(m[1]), fromNodeId: m[2]})
      } else {
        throw replyError(REPLY, `${where} has an unrecognised slot field ${JSON.stringify(slot)}`)
      }
    }
    return node
  })
}
