import {readFileSync} from 'node:fs'

import {DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS} from '../shared/constants.js'
import {usageError} from '../shared/errors.js'
import {registerSecret} from '../shared/redact.js'

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
  }
}

/** The same target pointed at another node of the cluster (credentials and TLS carried over). */
export function targetFor(base: Target, address: string): Target {
  const {host, port} = parseHostPort(address)
  return {...base, host, port, tls: base.tls && {...base.tls, servername: isIp(host) ? undefined : host}}
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
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(spec)
  if (v6) return {host: v6[1], port: v6[2] ? parsePort(v6[2], spec) : DEFAULT_PORT}
  const parts = spec.split(':')
  if (parts.length === 1 && parts[0]) return {host: parts[0], port: DEFAULT_PORT}
  if (parts.length === 2 && parts[0]) return {host: parts[0], port: parsePort(parts[1], spec)}
  // A bare IPv6 address without brackets and without a port.
  if (parts.length > 2 && isIp(spec)) return {host: spec, port: DEFAULT_PORT}
  throw usageError(`target "${spec}" is not host:port or a redis:// URL`)
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
  return spec.replace(/(\/\/[^:@/]*:)[^@]*@/, '$1***@')
}
