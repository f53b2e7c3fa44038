import {expectArray, pairs, replyError, text, toNumber} from './reply.js'
import type {SlotRangeOwner} from './types.js'

const REPLY = 'CLUSTER SLOTS'

type SlotNode = SlotRangeOwner['master']

/** [host, port, id?, metadata?]; Redis 7 metadata is a flat ["hostname", "…"] list, often empty. */
function parseNode(value: unknown, where: string): SlotNode {
  const node = expectArray(value, REPLY, where)
  if (node.length < 2) throw replyError(REPLY, `${where} has ${node.length} items, expected at least 2`)
  const out: SlotNode = {host: text(node[0]), port: toNumber(node[1], REPLY, `${where} port`)}
  if (node[2] !== undefined && node[2] !== null) out.id = text(node[2])
  if (node[3] !== undefined && node[3] !== null) {
    const hostname = pairs(node[3], REPLY, `${where} metadata`).get('hostname')
    if (hostname !== undefined) out.hostname = text(hostname)
  }
  return out
}

/**
 * Entries are [start, end, master, ...replicas]. Redis 7.0 leaves out replicas that are failed or
 * whose gossiped replication offset is still 0, so a fresh cluster lists masters only.
 */
export function parseClusterSlots(reply: unknown): SlotRangeOwner[] {
  return expectArray(reply, REPLY).map((item, index) => {
    const entry = expectArray(item, REPLY, `entry ${index}`)
    if (entry.length < 3) throw replyError(REPLY, `entry ${index} has ${entry.length} items, expected at least 3`)
    return {
      start: toNumber(entry[0], REPLY, `entry ${index} start`),
      end: toNumber(entry[1], REPLY, `entry ${index} end`),
      master: parseNode(entry[2], `entry ${index} master`),
      replicas: entry.slice(3).map((node, r) => parseNode(node, `entry ${index} replica ${r}`)),
    }
  })
}
