import {readFileSync} from 'node:fs'

import {DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS} from '../shared/constants.js'
import {usageError} from '../shared/errors.js'
import {registerSecret} from '../shared/redact.js'
import {splitHostPort} from '../shared/address.js'
import {mapAddress, parseNatRule, type NatRule} from './nat.js'

/** Where and how to connect. Built once at the edge from flags; everything below takes it as is. */
export interface Target {
  host: string
  port: number
  username?: string
  password?: string
  tls?: TlsSettings
  /** TCP connect + handshake budget for one node. Default 2000 ms. */
  connectTimeoutMs: number
  /** Budget for one reply (or one pipelined round trip). Default 2000 ms. */
  commandTimeoutMs: number
  /** Announced address → address to connect to (--nat-map); never applied to the seed the user gave. */
  natMap?: NatRule[]
}

export interface TlsSettings {
  ca?: string
  rejectUnauthorized: boolean
  servername?: string
  /**
   * Check that the certificate names the host (default true). Only rcdiag's own lab turns it off:
   * its servers listen on loopback with whatever certificate the user gave `lab up`, checked
   * against that CA.
   */
  verifyHostname?: boolean
}

export interface TargetInput {
  spec?: string
  user?: string
  password?: string
  tls?: boolean
  cacert?: string
  insecure?: boolean
  connectTimeoutMs?: number
  commandTimeoutMs?: number
  /** --nat-map values, FROM=TO */
  natMap?: string[]
  env?: NodeJS.ProcessEnv
}

const DEFAULT_PORT = 6379

/**
 * Accepts `host`, `host:port`, `[v6]:port`, `redis://[user[:password]@]host[:port]` and `rediss://…`.
 * The password comes from --password, else the URL, else REDISCLI_AUTH (as redis-cli does).
 */
export function resolveTarget(input: TargetInput): Target {
  const env = input.env ?? process.env
  const spec = (input.spec ?? '127.0.0.1:6379').trim()
  const parsed: ParsedSpec = /^[a-z][a-z0-9+.-]*:\/\//i.test(spec) ? parseUrl(spec) : parseHostPort(spec)

  const password = input.password ?? parsed.password ?? env.REDISCLI_AUTH ?? undefined
  registerSecret(password)
  const useTls = Boolean(input.tls || parsed.tls || input.cacert)
  let tls: TlsSettings | undefined
  if (useTls) {
    tls = {rejectUnauthorized: !input.insecure, servername: isIp(parsed.host) ? undefined : parsed.host}
    if (input.cacert) {
      try {
        tls.ca = readFileSync(input.cacert, 'utf8')
      } catch {
        throw usageError(`--cacert: cannot read ${input.cacert}`)
      }
    }
  }

  return {
    host: parsed.host,
    port: parsed.port,
    username: input.user ?? parsed.username,
    password: password === '' ? undefined : password,
    tls,
    connectTimeoutMs: positive(input.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS, 'connect-timeout'),
    commandTimeoutMs: positive(input.commandTimeoutMs, DEFAULT_COMMAND_TIMEOUT_MS, 'command-timeout'),
    ...(input.natMap && input.natMap.length > 0 ? {natMap: input.natMap.map(parseNatRule)} : {}),
  }
}

/**
 * The same target pointed at another node of the cluster, by the address the cluster announces for
 * it: credentials and TLS carried over, the NAT map applied. The TLS server name stays the announced
 * host name (what the node's certificate names), else the mapped one's.
 */
export function targetFor(base: Target, address: string): Target {
  const announced = parseHostPort(address)
  const {host, port} = mapAddress(base.natMap, announced.host, announced.port)
  const servername = !isIp(announced.host) ? announced.host : !isIp(host) ? host : undefined
  return {...base, host, port, tls: base.tls && {...base.tls, servername}}
}

/** Where rcdiag connects for an announced address: the address itself unless the NAT map rewrites it. */
export function connectAddress(base: Target, address: string): string {
  const target = targetFor(base, address)
  return formatAddress(target.host, target.port)
}

/** What reports show: never the password. */
export function describeTarget(target: Target): string {
  const scheme = target.tls ? 'rediss' : 'redis'
  const user = target.username ? `${target.username}@` : ''
  return `${scheme}://${user}${formatAddress(target.host, target.port)}`
}

export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

interface ParsedSpec {
  host: string
  port: number
  username?: string
  password?: string
  tls?: boolean
}

function parseUrl(spec: string): ParsedSpec {
  // user-info with "@" or "/" in it (a password that was not URL-encoded) cannot be told from the
  // host: refuse it without echoing any of it
  const authority = spec.slice(spec.indexOf('://') + 3)
  const at = authority.lastIndexOf('@')
  if (at >= 0 && /[@/?#]/.test(authority.slice(0, at))) {
    throw usageError(
      `the target URL's user or password holds "@", "/", "?" or "#": URL-encode them (%40, %2F, %3F, %23), or give the password with --password or REDISCLI_AUTH`,
    )
  }
  let url: URL
  try {
    url = new URL(spec)
  } catch {
    throw usageError(`target "${redactUrl(spec)}" is not a valid redis:// URL`)
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw usageError(`target scheme "${url.protocol}" is not supported; use redis:// or rediss://`)
  }
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (!host) throw usageError('target URL has no host')
  return {
    host,
    port: url.port ? parsePort(url.port, spec) : DEFAULT_PORT,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    tls: url.protocol === 'rediss:',
  }
}

export function parseHostPort(spec: string): {host: string; port: number} {
  const split = splitHostPort(spec)
  if (!split) throw usageError(`target "${spec}" is not host:port or a redis:// URL`)
  return {host: split.host, port: split.port === undefined ? DEFAULT_PORT : parsePort(split.port, spec)}
}

function parsePort(text: string, spec: string): number {
  const port = Number(text)
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw usageError(`target "${redactUrl(spec)}" has an invalid port "${text}"`)
  }
  return port
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!(value > 0)) throw usageError(`--${name} must be greater than zero`)
  return value
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':')
}

function redactUrl(spec: string): string {
  return spec.replace(/(\/\/[^:@/]*:)\S*@/, '$1***@')
}
