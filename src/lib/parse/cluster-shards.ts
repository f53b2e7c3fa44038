import {expectArray, pairs, replyError, text, toNumber} from './reply.js'
import type {ClusterShard, ShardNode} from './types.js'

const REPLY = 'CLUSTER SHARDS'

/**
 * Redis 7 CLUSTER SHARDS: one map per shard, {slots: [start, end, start, end, ...], nodes: [map, ...]}.
 * With RESP2 maps are flat key/value arrays; integers (port, replication-offset, slots) are numbers.
 * "port"/"tls-port" appear only for the enabled listener(s); "hostname" only when one is announced.
 */
export function parseClusterShards(reply: unknown): ClusterShard[] {
  return expectArray(reply, REPLY).map((item, index) => {
    const shard = pairs(item, REPLY, `shard ${index}`)
    const flatSlots = expectArray(shard.get('slots') ?? [], REPLY, `shard ${index} slots`)
    if (flatSlots.length % 2 !== 0) throw replyError(REPLY, `shard ${index} slots has an odd length of ${flatSlots.length}`)
    const slots: Array<[number, number]> = []
    for (let i = 0; i < flatSlots.length; i += 2) {
      slots.push([toNumber(flatSlots[i], REPLY, `shard ${index} slot`), toNumber(flatSlots[i + 1], REPLY, `shard ${index} slot`)])
    }
    const nodes = expectArray(shard.get('nodes') ?? [], REPLY, `shard ${index} nodes`).map((raw, n) => {
      const where = `shard ${index} node ${n}`
      const f = pairs(raw, REPLY, where)
      const node: ShardNode = {
        id: text(f.get('id')),
        ip: text(f.get('ip')),
        role: text(f.get('role')) === 'master' ? 'master' : 'replica',
        replicationOffset: f.has('replication-offset') ? toNumber(f.get('replication-offset'), REPLY, `${where} replication-offset`) : 0,
        health: text(f.get('health')),
      }
      if (f.has('endpoint')) node.endpoint = text(f.get('endpoint'))
      if (f.has('hostname')) node.hostname = text(f.get('hostname'))
      if (f.has('port')) node.port = toNumber(f.get('port'), REPLY, `${where} port`)
      if (f.has('tls-port')) node.tlsPort = toNumber(f.get('tls-port'), REPLY, `${where} tls-port`)
      return node
    })
    return {slots, nodes}
  })
}
