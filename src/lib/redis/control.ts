import {readFileSync} from 'node:fs'

import {Redis} from 'ioredis'

import type {LabTlsFiles} from '../lab/types.js'

/** Control connections to lab servers: short timeouts, no retries, no surprises. */

export interface ControlOptions {
  password?: string
  tls?: LabTlsFiles
  connectTimeoutMs?: number
  commandTimeoutMs?: number
}

export function controlConnection(host: string, port: number, options: ControlOptions = {}): Redis {
  const redis = new Redis({
    host,
    port,
    protocol: 2,
    password: options.password,
    tls: options.tls ? {ca: readFileSync(options.tls.caFile), checkServerIdentity: () => undefined} : undefined,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    commandTimeout: options.commandTimeoutMs ?? 3000,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    lazyConnect: true,
    enableReadyCheck: false,
    disableClientInfo: true,
  })
  redis.on('error', () => {
    // reported through the rejected command instead
  })
  return redis
}

/** One node, reconnected on demand when the server closed an idle control connection. */
export class NodeControl {
  private redis: Redis | undefined

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly options: ControlOptions = {},
  ) {}

  async call(...args: Array<string | number>): Promise<unknown> {
    if (!this.redis || this.redis.status === 'end' || this.redis.status === 'close') {
      this.redis?.disconnect()
      this.redis = controlConnection(this.host, this.port, this.options)
      try {
        await this.redis.connect()
      } catch (error) {
        this.redis.disconnect()
        this.redis = undefined
        throw error
      }
    }
    const [command, ...rest] = args
    return this.redis.call(String(command), ...rest.map(String))
  }

  async text(...args: Array<string | number>): Promise<string> {
    const reply = await this.call(...args)
    return Buffer.isBuffer(reply) ? reply.toString() : String(reply)
  }

  close(): void {
    this.redis?.disconnect()
    this.redis = undefined
  }
}

/** "key:value" lines (INFO, CLUSTER INFO) to a map. */
export function infoFields(text: string): Map<string, string> {
  const fields = new Map<string, string>()
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':')
    if (i > 0 && !line.startsWith('#')) fields.set(line.slice(0, i), line.slice(i + 1).trim())
  }
  return fields
}
