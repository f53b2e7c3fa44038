import pLimit from 'p-limit'

import {DEFAULT_NODE_CONCURRENCY} from '../shared/constants.js'
import {closeConnection} from './connection.js'
import {readNode, timeNode, type SnapshotOptions} from './snapshot.js'
import type {CollectedNode} from './snapshot-types.js'
import type {Target} from './target.js'

/**
 * The one fan-out over nodes: `work` for every item, at most `concurrency` at once (default
 * DEFAULT_NODE_CONCURRENCY), results in the order of `items`. `work` settles its own failures
 * (a node that does not answer is a value in the result, not a rejection).
 */
export function fanOut<T, R>(items: readonly T[], work: (item: T) => Promise<R>, concurrency = DEFAULT_NODE_CONCURRENCY): Promise<R[]> {
  const limit = pLimit(Math.max(1, concurrency))
  return Promise.all(items.map((item) => limit(() => work(item))))
}

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
  const open = await fanOut(addresses, (address) => readNode(target, address, options), concurrency)
  try {
    await fanOut(open, (node) => timeNode(node, target, options), concurrency)
  } finally {
    for (const node of open) closeConnection(node.redis)
  }
  return open.map((node) => node.collected)
}
