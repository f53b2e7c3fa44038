import {closeConnection, openConnection, type Connection} from './connection.js'
import {fanOut} from './fan-out.js'
import {targetFor, type Target} from './target.js'

/** Rounds of SCAN per node at most: a pattern that matches almost nothing must not scan forever. */
const MAX_SCAN_ROUNDS = 1000

/**
 * Up to `perNode` keys of `type` matching `pattern` from each node, with SCAN (read-only, never
 * KEYS), nodes in parallel. A node that cannot be reached fails the whole call: the caller asked
 * for every master's keys. At most DEFAULT_NODE_CONCURRENCY nodes at once.
 */
export async function scanKeys(base: Target, nodes: string[], pattern: string, perNode: number, type: string): Promise<string[][]> {
  return fanOut(nodes, async (address) => {
    const redis = await openConnection(targetFor(base, address))
    try {
      const keys: string[] = []
      let cursor = '0'
      let rounds = 0
      do {
        const [next, batch] = (await redis.call('SCAN', cursor, 'MATCH', pattern, 'COUNT', '1000', 'TYPE', type)) as [string, string[]]
        keys.push(...batch)
        cursor = next
      } while (cursor !== '0' && keys.length < perNode && ++rounds < MAX_SCAN_ROUNDS)
      return keys.slice(0, perNode)
    } finally {
      closeConnection(redis)
    }
  })
}

/** Up to `count` field names of hash `key` (HRANDFIELD), asked of each node until the owner answers; [] when none does. */
export async function sampleHashFields(base: Target, nodes: string[], key: string, count: number): Promise<string[]> {
  for (const address of nodes) {
    let redis: Connection | undefined
    try {
      redis = await openConnection(targetFor(base, address))
      const fields = (await redis.call('HRANDFIELD', key, String(count))) as string[]
      if (fields.length > 0) return fields
    } catch {
      // MOVED (another node owns it), or this node cannot be reached: ask the next
    } finally {
      closeConnection(redis)
    }
  }
  return []
}
