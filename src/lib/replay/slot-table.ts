import calculateSlot from 'cluster-key-slot'

import {formatAddress} from '../connect/target.js'
import type {SlotRangeOwner} from '../parse/types.js'

export const SLOT_COUNT = 16384

export const slotOf = (key: string): number => calculateSlot(key)

/** slot → master address, built from a CLUSTER SLOTS reply. Unowned slots stay undefined. */
export function slotTableFrom(ranges: SlotRangeOwner[]): Array<string | undefined> {
  const table = new Array<string | undefined>(SLOT_COUNT).fill(undefined)
  for (const range of ranges) {
    const owner = formatAddress(range.master.host, range.master.port)
    for (let slot = range.start; slot <= range.end; slot++) table[slot] = owner
  }
  return table
}

/** "MOVED 3999 127.0.0.1:6381" / "ASK 3999 127.0.0.1:6381" → the redirect, or undefined. */
export function parseRedirect(message: string): {kind: 'MOVED' | 'ASK'; slot: number; address: string} | undefined {
  const match = /^(MOVED|ASK) (\d+) (\S+)/.exec(message)
  if (!match) return undefined
  let address = match[3]
  // Redis 7 may answer ":port" when the node does not know its own IP; the caller substitutes the host.
  if (address.startsWith(':')) address = `127.0.0.1${address}`
  return {kind: match[1] as 'MOVED' | 'ASK', slot: Number(match[2]), address}
}
