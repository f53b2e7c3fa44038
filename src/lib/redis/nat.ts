import {splitHostPort} from '../shared/address.js'
import {usageError} from '../shared/errors.js'

/**
 * Address translation for clusters whose nodes announce addresses that are not reachable from
 * here (Docker, Kubernetes, NAT, a bastion's port forwards): `--nat-map FROM=TO`, as ioredis'
 * `natMap` and redis-py's `address_remap` do for applications.
 */

export interface NatEndpoint {
  host: string
  /** undefined: any port (FROM), the same port (TO) */
  port?: number
}

export interface NatRule {
  from: NatEndpoint
  to: NatEndpoint
}

/** `FROM=TO`, each side `host` or `host:port` (`[v6]:port`). A host-only FROM keeps the port, so its TO has none. */
export function parseNatRule(text: string): NatRule {
  const usage = `--nat-map ${JSON.stringify(text)}: expected FROM=TO, each host or host:port, e.g. 10.0.0.5=127.0.0.1 or 10.0.0.5:6379=127.0.0.1:7001`
  const parts = text.split('=')
  if (parts.length !== 2) throw usageError(usage)
  const from = endpoint(parts[0].trim(), usage)
  const to = endpoint(parts[1].trim(), usage)
  if (from.port === undefined && to.port !== undefined) {
    throw usageError(
      `--nat-map ${text}: ${from.host} without a port maps every port of that host; give ${to.host} without a port too, or map host:port=host:port`,
    )
  }
  return {from, to}
}

function endpoint(text: string, usage: string): NatEndpoint {
  const split = splitHostPort(text)
  if (!split) throw usageError(usage)
  if (split.port === undefined) return {host: split.host}
  const port = Number(split.port)
  if (!/^\d+$/.test(split.port) || port < 1 || port > 65535) throw usageError(usage)
  return {host: split.host, port}
}

/**
 * Where to connect for an announced address: the most specific rule wins (host:port over host);
 * no rule, the address itself. Host names compare case-insensitively.
 */
export function mapAddress(
  rules: readonly NatRule[] | undefined,
  host: string,
  port: number,
): {host: string; port: number; rule?: NatRule} {
  if (!rules || rules.length === 0) return {host, port}
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
  const rule =
    rules.find((r) => r.from.port === port && same(r.from.host, host)) ??
    rules.find((r) => r.from.port === undefined && same(r.from.host, host))
  if (!rule) return {host, port}
  return {host: rule.to.host, port: rule.to.port ?? port, rule}
}

export function formatNatRule(rule: NatRule): string {
  const side = (e: NatEndpoint) => {
    const host = e.host.includes(':') ? `[${e.host}]` : e.host
    return e.port === undefined ? host : `${host}:${e.port}`
  }
  return `${side(rule.from)}=${side(rule.to)}`
}
