import calculateSlot from 'cluster-key-slot'

import {hostOf} from '../shared/address.js'
import {TOTAL_SLOTS} from '../shared/constants.js'
import {formatAddress} from './target.js'
import type {SlotRangeOwner} from '../parse/types.js'

export const slotOf = (key: string): number => calculateSlot(key)

/** slot → master address, built from a CLUSTER SLOTS reply. Unowned slots stay undefined. */
export function slotTableFrom(ranges: SlotRangeOwner[]): Array<string | undefined> {
  const table = new Array<string | undefined>(TOTAL_SLOTS).fill(undefined)
  for (const range of ranges) {
    const owner = formatAddress(range.master.host, range.master.port)
    for (let slot = range.start; slot <= range.end; slot++) table[slot] = owner
  }
  return table
}

/**
 * "MOVED 3999 10.0.0.7:6381" / "ASK 3999 10.0.0.7:6381" → the redirect, or undefined. Redis 7 answers
 * "MOVED 3999 :6381" when the node does not know its own IP: the host is then the one of the node that
 * sent the redirect (`from`, host:port), never a guess such as 127.0.0.1 (that could send traffic to
 * the operator's own machine). Without `from`, such a redirect cannot be followed: undefined.
 */
export function parseRedirect(message: string, from?: string): {kind: 'MOVED' | 'ASK'; slot: number; address: string} | undefined {
  const match = /^(MOVED|ASK) (\d+) (\S+)/.exec(message)
  if (!match) return undefined
  const slot = Number(match[2])
  if (!Number.isInteger(slot) || slot < 0 || slot >= TOTAL_SLOTS) return undefined
  let address = match[3]
  if (address.startsWith(':')) {
    const port = Number(address.slice(1))
    if (!from || !Number.isInteger(port) || port < 1 || port > 65535) return undefined
    address = formatAddress(hostOf(from), port)
  }
  return {kind: match[1] as 'MOVED' | 'ASK', slot, address}
}
