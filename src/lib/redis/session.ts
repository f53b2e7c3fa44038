import {closeConnection, openConnection, type Connection} from './connection.js'
import {ConnectionClosedError} from './failures.js'
import type {Target} from './target.js'

/**
 * One node, one long-lived connection, opened through the same primitive as every other one and
 * reopened on demand when the server closed it (a small server `timeout` closes idle connections):
 * the lab's control connections and `slowlog --follow`'s pollers.
 */
export class NodeSession {
  private redis: Connection | undefined
  private closed = false

  constructor(readonly target: Target) {}

  /** The open connection, opened (again) if there is none or the server closed it. */
  async connection(): Promise<Connection> {
    if (!this.redis || this.redis.status === 'end' || this.redis.status === 'close') {
      closeConnection(this.redis)
      this.redis = undefined
      const redis = await openConnection(this.target)
      // closed while this connection was being opened (Ctrl-C): it must not outlive the session
      if (this.closed) {
        closeConnection(redis)
        throw new ConnectionClosedError('session closed')
      }
      this.redis = redis
    }
    return this.redis
  }

  async call(...args: Array<string | number>): Promise<unknown> {
    const redis = await this.connection()
    const [command, ...rest] = args
    return redis.call(String(command), ...rest.map(String))
  }

  async text(...args: Array<string | number>): Promise<string> {
    const reply = await this.call(...args)
    return Buffer.isBuffer(reply) ? reply.toString() : String(reply)
  }

  /** Drops the connection (it failed); the next use opens a new one. */
  reset(): void {
    closeConnection(this.redis)
    this.redis = undefined
  }

  /** For good: a connection still being opened is closed as soon as it arrives. */
  close(): void {
    this.closed = true
    closeConnection(this.redis)
    this.redis = undefined
  }
}

/** Opens, PINGs and closes: true when the node answers PONG. Rejects with the one-line reason otherwise. */
export async function pingNode(target: Target): Promise<boolean> {
  const redis = await openConnection(target)
  try {
    return (await redis.ping()) === 'PONG'
  } finally {
    closeConnection(redis)
  }
}
