import {isIPv6} from 'node:net'

/** The host of "host:port" or "[v6]:port" (brackets removed); the whole text when it has no port. */
export function hostOf(address: string): string {
  const v6 = /^\[([^\]]+)\]:\d+$/.exec(address)
  if (v6) return v6[1]
  const index = address.lastIndexOf(':')
  return index > 0 ? address.slice(0, index) : address
}

/**
 * "host", "host:port", "[v6]" , "[v6]:port" or a bare IPv6 address, split; the port as written
 * (checked by the caller). undefined when the text is none of these.
 */
export function splitHostPort(spec: string): {host: string; port?: string} | undefined {
  const v6 = /^\[([^\]]+)\](?::([^:]*))?$/.exec(spec)
  if (v6) return {host: v6[1], port: v6[2]}
  const parts = spec.split(':')
  if (parts.length === 1 && parts[0]) return {host: parts[0]}
  if (parts.length === 2 && parts[0]) return {host: parts[0], port: parts[1]}
  // A bare IPv6 address: no brackets, so no port.
  if (parts.length > 2 && isIPv6(spec)) return {host: spec}
  return undefined
}

/** The port of "host:port" or "[v6]:port", as written. */
export function portOf(address: string): string {
  return address.slice(address.lastIndexOf(':') + 1)
}
