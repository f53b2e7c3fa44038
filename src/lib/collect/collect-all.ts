import pLimit from 'p-limit'

import type {Target} from '../connect/target.js'
import {collectNode, type CollectedNode, type SnapshotOptions} from './snapshot.js'

export const DEFAULT_NODE_CONCURRENCY = 16

/** Every node in parallel, at most `concurrency` at once; results in the order of `addresses`. */
export async function collectAll(
  target: Target,
  addresses: string[],
  options: SnapshotOptions,
  concurrency = DEFAULT_NODE_CONCURRENCY,
): Promise<CollectedNode[]> {
  const limit = pLimit(Math.max(1, concurrency))
  return Promise.all(addresses.map((address) => limit(() => collectNode(target, address, options))))
}
