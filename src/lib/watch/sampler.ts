import {parseInfo} from '../parse/info.js'
import {parseLatencyLatest} from '../parse/latency-latest.js'
import {serverIdentity, versionAtLeast} from '../parse/server.js'
import type {NodeSession} from '../redis/session.js'
import {withDeadline} from '../shared/deadline.js'
import {countersOf, type NodeCounters} from './counters.js'

/** INFO sections a watch needs; Redis 7+ answers several in one call, older servers only "all". */
const SECTIONS = ['server', 'clients', 'stats', 'replication', 'commandstats', 'errorstats']

/** rcdiag's own commands in one read, as commandstats counts them: subtracted from the deltas. */
export const OWN_CALLS_PER_READ: Readonly<Record<string, number>> = {info: 1, 'latency|latest': 1, 'slowlog|len': 1}

/**
 * One node's counters in one pipelined round trip on its long-lived session: INFO, LATENCY LATEST,
 * SLOWLOG LEN. The first read asks `INFO all` (every version) and learns the version; later reads
 * of a Redis 7+ server ask only the sections a watch needs. Rejects when the node does not answer in
 * `timeoutMs` (the session is reset then, so the next read reconnects).
 */
export class NodeSampler {
  private multiSection = false
  private lastConnection: unknown

  constructor(
    readonly address: string,
    private readonly session: NodeSession,
    private readonly timeoutMs: number,
  ) {}

  /** The counters, and how many connections rcdiag opened to the node for this read (0, or 1 after a reconnect). */
  async read(): Promise<{counters: NodeCounters; ownConnections: number}> {
    try {
      const redis = await this.session.connection()
      const ownConnections = redis === this.lastConnection ? 0 : 1
      this.lastConnection = redis
      const info = this.multiSection ? ['INFO', ...SECTIONS] : ['INFO', 'all']
      const results = await withDeadline(
        redis
          .pipeline()
          .call(...(info as [string, ...string[]]))
          .call('LATENCY', 'LATEST')
          .call('SLOWLOG', 'LEN')
          .exec(),
        this.timeoutMs,
        `no reply within ${this.timeoutMs} ms`,
      )
      const [infoResult, latencyResult, slowlogResult] = results ?? []
      if (!infoResult || infoResult[0]) throw infoResult?.[0] ?? new Error('no reply')
      const sections = parseInfo(String(infoResult[1]))
      const server = serverIdentity(sections)
      this.multiSection = Boolean(server && versionAtLeast(sections.server?.redis_version ?? '0', '7.0'))
      const latency = latencyResult && !latencyResult[0] ? parseLatencyLatest(latencyResult[1]) : []
      const slowlogLen = slowlogResult && !slowlogResult[0] ? Number(slowlogResult[1]) : undefined
      return {counters: countersOf(sections, latency, slowlogLen, Date.now()), ownConnections}
    } catch (error) {
      this.session.reset()
      throw error
    }
  }
}
