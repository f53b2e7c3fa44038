import diagnostics from 'node:diagnostics_channel'

import {Cluster} from 'ioredis'

import {parseHostPort, type Target} from '../../connect/target.js'
import type {ClientModelRunner, ModelEvents, OpContext} from '../types.js'
import {classifyFailure} from './errors.js'

export interface IoredisModelOptions {
  target: Target
  nodes: string[]
  connectionName: string
}

type CommandTrace = {command: string; args: string[]; error?: unknown}

/**
 * The real ioredis Cluster client with its defaults (RESP3, its own retry and refresh policy), except
 * explicit connect and command timeouts. What it does inside is observed through ioredis 6's
 * diagnostics channels: connects, CLUSTER SLOTS refreshes, MOVED/ASK replies.
 */
export class IoredisModel implements ClientModelRunner {
  readonly name = 'ioredis' as const
  readonly connectionName: string
  private readonly cluster: Cluster
  private events: ModelEvents = {refreshStarted() {}, refreshEnded() {}, note() {}}
  private readonly refreshStarts = new WeakMap<object, number>()
  private readonly unsubscribe: Array<() => void> = []

  constructor(options: IoredisModelOptions) {
    this.connectionName = options.connectionName
    const t = options.target
    this.cluster = new Cluster(
      options.nodes.map((address) => parseHostPort(address)),
      {
        lazyConnect: true,
        redisOptions: {
          username: t.username,
          password: t.password,
          tls: t.tls ? {ca: t.tls.ca, rejectUnauthorized: t.tls.rejectUnauthorized, servername: t.tls.servername} : undefined,
          connectionName: options.connectionName,
          connectTimeout: t.connectTimeoutMs,
          commandTimeout: t.commandTimeoutMs,
        },
      },
    )
    this.cluster.on('error', () => {})
  }

  async start(events: ModelEvents): Promise<void> {
    this.events = events
    this.subscribe()
    await this.cluster.connect()
  }

  async hmget(_worker: number, key: string, fields: string[], ctx: OpContext): Promise<boolean> {
    try {
      await this.cluster.hmget(key, ...fields)
      return true
    } catch (error) {
      const kind = classifyFailure(error)
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
    this.cluster.disconnect()
  }

  private subscribe(): void {
    const connect = diagnostics.tracingChannel('ioredis:connect')
    const connectHandlers = {
      start: () => this.events.note('reconnect'),
      end() {},
      asyncStart() {},
      asyncEnd() {},
      error() {},
    }
    connect.subscribe(connectHandlers)
    this.unsubscribe.push(() => connect.unsubscribe(connectHandlers))

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
      },
      end() {},
      asyncStart() {},
      asyncEnd: (message: unknown) => finishRefresh(message as CommandTrace),
      error: (message: unknown) => {
        const ctx = message as CommandTrace
        const kind = classifyFailure(ctx.error)
        if (kind === 'moved' || kind === 'ask') this.events.note(kind)
        finishRefresh(ctx)
      },
    }
    command.subscribe(commandHandlers)
    this.unsubscribe.push(() => command.unsubscribe(commandHandlers))
  }
}
