import diagnostics from 'node:diagnostics_channel'

import {Cluster, type ClusterNode, type Redis} from 'ioredis'

import {connectionOptions} from '../../redis/connection.js'
import {connectionError, recoveryKind} from '../../redis/failures.js'
import {mapAddress, type NatRule} from '../../redis/nat.js'
import {formatAddress, targetFor, type Target} from '../../redis/target.js'
import {withDeadline} from '../../shared/deadline.js'
import {RcdiagError} from '../../shared/errors.js'
import type {ClientModelRunner, ModelEvents, OpContext} from '../types.js'

export interface IoredisModelOptions {
  target: Target
  nodes: string[]
  connectionName: string
}

type CommandTrace = {command: string; args: string[]; error?: unknown}

/** ioredis's own clusterRetryStrategy delay (100 ms + 2 ms per attempt, at most 2 s), but giving up after this many. */
const CLUSTER_RETRY_ATTEMPTS = 20

/**
 * The real ioredis Cluster client with its defaults (RESP3, its own retry, redirect and refresh
 * policy, its offline queue), except:
 * - explicit connect and command timeouts (rcdiag's --connect-timeout / --command-timeout);
 * - clusterRetryStrategy: ioredis's own delays, but it gives up after CLUSTER_RETRY_ATTEMPTS
 *   reconnects in a row when no node at all answers (the default retries forever, and commands
 *   wait in the offline queue meanwhile: a hang);
 * - each command is bounded by a deadline of twice the command timeout, counted as a timeout:
 *   ioredis's commandTimeout does not cover the time a command waits in the offline queue while
 *   the cluster reconnects. The offline queue itself stays on: queueing commands while the slot map
 *   is re-read after an idle gap is the default behaviour this model measures;
 * - TLS is set per node (each node's certificate is checked against that node's own host), never
 *   the seed's server name for every node.
 * What it does inside is observed through its events and ioredis 6's diagnostics channels:
 * connections of the workload (the pool's node connections), CLUSTER SLOTS refreshes (each on a new
 * connection of its own), timeouts. MOVED/ASK are followed inside ioredis and never reach the
 * caller: the report counts them on the server side (errorstats) for this model.
 */
/** ioredis' natMap as a function of its node keys ("host:port", IPv6 unbracketed): null leaves an address as it is. */
export function natMapFunction(rules: readonly NatRule[]): (key: string) => {host: string; port: number} | null {
  return (key) => {
    const index = key.lastIndexOf(':')
    const port = Number(key.slice(index + 1))
    if (index <= 0 || !Number.isInteger(port)) return null
    const mapped = mapAddress(rules, key.slice(0, index).replace(/^\[|\]$/g, ''), port)
    return mapped.rule ? {host: mapped.host, port: mapped.port} : null
  }
}

export class IoredisModel implements ClientModelRunner {
  readonly name = 'ioredis' as const
  readonly connectionName: string
  private readonly cluster: Cluster
  private readonly target: Target
  private readonly deadlineMs: number
  private events: ModelEvents = {refreshStarted() {}, refreshEnded() {}, note() {}}
  private readonly refreshStarts = new WeakMap<object, number>()
  private readonly unsubscribe: Array<() => void> = []

  constructor(options: IoredisModelOptions) {
    this.connectionName = options.connectionName
    this.target = options.target
    this.deadlineMs = 2 * options.target.commandTimeoutMs
    const t = options.target
    const startupNodes: ClusterNode[] = options.nodes.map((address) => {
      // The announced address as --nat-map rewrites it; per node the TLS options connectionOptions
      // gives that node (its own server name, if any).
      const node = targetFor(t, address)
      const tls = t.tls ? connectionOptions(node, options.connectionName).tls : undefined
      return tls ? {host: node.host, port: node.port, tls} : {host: node.host, port: node.port}
    })
    this.cluster = new Cluster(startupNodes, {
      lazyConnect: true,
      // The addresses CLUSTER SLOTS announces, through the same --nat-map (ioredis' own natMap).
      ...(t.natMap ? {natMap: natMapFunction(t.natMap)} : {}),
      clusterRetryStrategy: (times: number) => (times > CLUSTER_RETRY_ATTEMPTS ? null : Math.min(100 + times * 2, 2000)),
      redisOptions: {
        username: t.username,
        password: t.password,
        // Nodes that were not startup nodes: the CA and verification, no server name forced on them.
        tls: t.tls ? {ca: t.tls.ca, rejectUnauthorized: t.tls.rejectUnauthorized} : undefined,
        connectionName: options.connectionName,
        connectTimeout: t.connectTimeoutMs,
        commandTimeout: t.commandTimeoutMs,
      },
    })
    this.cluster.on('error', () => {})
    // The pool's node connections are the workload's; ioredis never reconnects one (it makes a new one).
    this.cluster.on('+node', (redis: Redis) => redis.on('connecting', () => this.events.note('reconnect')))
  }

  async start(events: ModelEvents): Promise<void> {
    this.events = events
    this.subscribe()
    const seed = formatAddress(this.target.host, this.target.port)
    const budget = this.target.connectTimeoutMs + this.deadlineMs
    try {
      await withDeadline(this.cluster.connect(), budget, `no node answered within ${budget} ms`)
    } catch (error) {
      this.cluster.disconnect()
      const cause = connectionError(seed, error)
      throw new RcdiagError(cause.code, `ioredis model: could not connect to the cluster: ${cause.message}`)
    }
  }

  async hmget(_worker: number, key: string, fields: string[], ctx: OpContext): Promise<boolean> {
    try {
      await withDeadline(this.cluster.hmget(key, ...fields), this.deadlineMs, `no reply within ${this.deadlineMs} ms`)
      return true
    } catch (error) {
      const kind = recoveryKind(error)
      if (kind === 'timeout') {
        ctx.timeouts++
        ctx.connectionErrors++
      } else if (kind === 'closed') {
        ctx.connectionErrors++
        ctx.closedConnectionErrors++
      }
      return false
    }
  }

  async close(): Promise<void> {
    for (const off of this.unsubscribe) off()
    this.unsubscribe.length = 0
    this.cluster.disconnect()
  }

  /** CLUSTER SLOTS refreshes, from ioredis 6's command tracing channel. */
  private subscribe(): void {
    const command = diagnostics.tracingChannel('ioredis:command')
    const isSlots = (ctx: CommandTrace) => ctx.command?.toLowerCase() === 'cluster' && String(ctx.args?.[0]).toLowerCase() === 'slots'
    const finishRefresh = (ctx: CommandTrace) => {
      const started = this.refreshStarts.get(ctx)
      if (started === undefined) return
      this.refreshStarts.delete(ctx)
      this.events.refreshEnded(performance.now() - started)
    }
    const commandHandlers = {
      start: (message: unknown) => {
        const ctx = message as CommandTrace
        if (!isSlots(ctx)) return
        this.refreshStarts.set(ctx, performance.now())
        this.events.refreshStarted()
        // ioredis 6 reads the slot map on a duplicate() of a node connection, made for that one call.
        this.events.note('refresh-connect')
      },
      end() {},
      asyncStart() {},
      asyncEnd: (message: unknown) => finishRefresh(message as CommandTrace),
      error: (message: unknown) => finishRefresh(message as CommandTrace),
    }
    command.subscribe(commandHandlers)
    this.unsubscribe.push(() => command.unsubscribe(commandHandlers))
  }
}
