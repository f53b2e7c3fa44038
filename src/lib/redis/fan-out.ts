import pLimit from 'p-limit'

import type {Target} from './target.js'
import {closeConnection} from './connection.js'
import {readNode, timeNode, type SnapshotOptions} from './snapshot.js'
import type {CollectedNode} from './snapshot-types.js'

export const DEFAULT_NODE_CONCURRENCY = 16

/**
 * Every node in parallel, at most `concurrency` at once; results in the order of `addresses`.
 * Two stages: read every node, then time every node (RTT, CLUSTER SLOTS), so timings are not
 * inflated by our own parsing of other nodes' replies.
 */
export async function collectAll(
  target: Target,
  addresses: string[],
  options: SnapshotOptions,
  concurrency = DEFAULT_NODE_CONCURRENCY,
): Promise<CollectedNode[]> {
  const limit = pLimit(Math.max(1, concurrency))
  const open = await Promise.all(addresses.map((address) => limit(() => readNode(target, address, options))))
  try {
    await Promise.all(open.map((node) => limit(() => timeNode(node, target, options))))
  } finally {
    for (const node of open) closeConnection(node.redis)
  }
  return open.map((node) => node.collected)
}
