import {parseInfo} from '../parse/info.js'
import {parseLatencyLatest} from '../parse/latency-latest.js'
import {serverIdentity, versionAtLeast} from '../parse/server.js'
import {blockedKind, isReplyError} from '../redis/failures.js'
import type {NodeSession} from '../redis/session.js'
import {withDeadline} from '../shared/deadline.js'
import {authError, errorMessage} from '../shared/errors.js'
import {countersOf, type NodeCounters} from './counters.js'

/** INFO sections a watch needs; Redis 7+ answers several in one call, older servers only "all". */
const SECTIONS = ['server', 'clients', 'stats', 'replication', 'commandstats', 'errorstats']

/** rcdiag's own commands in one read, as commandstats counts them: subtracted from the deltas. */
export const OWN_CALLS_PER_READ: Readonly<Record<string, number>> = {info: 1, 'latency|latest': 1, 'slowlog|get': 1}

/**
 * One node's counters in one round trip on its long-lived session: INFO, LATENCY LATEST and the
 * newest SLOWLOG entry's id (ids only grow, while SLOWLOG LEN stops at slowlog-max-len once the log
 * is full). The first read asks `INFO all` (every version) and learns the version; later reads of a
 * Redis 7+ server ask only the sections a watch needs. Connecting and reading are bounded by
 * `timeoutMs` together; a failed read resets the session, so the next one reconnects. A refused INFO
 * (ACL) is an auth error: the watch cannot work without it.
 */
export class NodeSampler {
  private multiSection = false
  private lastConnection: unknown

  /** a read succeeded on the current connection: the next one needs no connect */
  private connected = false

  constructor(
    readonly address: string,
    private readonly session: NodeSession,
    private readonly timeoutMs: number,
    /** added to the budget of a read that must (re)connect first */
    private readonly connectTimeoutMs = 0,
  ) {}

  /** The counters, and how many connections rcdiag opened to the node for this read (0, or 1 after a reconnect). */
  async read(): Promise<{counters: NodeCounters; ownConnections: number}> {
    const budget = this.timeoutMs + (this.connected ? 0 : this.connectTimeoutMs)
    try {
      const read = await withDeadline(this.readOnce(), budget, `no reply within ${budget} ms`)
      this.connected = true
      return read
    } catch (error) {
      this.connected = false
      this.session.reset()
      throw error
    }
  }

  private async readOnce(): Promise<{counters: NodeCounters; ownConnections: number}> {
    const redis = await this.session.connection()
    const ownConnections = redis === this.lastConnection ? 0 : 1
    this.lastConnection = redis
    const info = this.multiSection ? ['INFO', ...SECTIONS] : ['INFO', 'all']
    const results = await redis
      .pipeline()
      .call(...(info as [string, ...string[]]))
      .call('LATENCY', 'LATEST')
      .call('SLOWLOG', 'GET', '1')
      .exec()
    const [infoResult, latencyResult, slowlogResult] = results ?? []
    if (!infoResult) throw new Error('no reply')
    const [infoError, infoReply] = infoResult
    if (infoError) {
      if (isReplyError(infoError) && !blockedKind(infoError)) {
        throw authError(`${this.address}: INFO is refused (${errorMessage(infoError)}): watch needs +info +latency|latest +slowlog|get`)
      }
      throw infoError
    }
    const sections = parseInfo(String(infoReply))
    this.multiSection = Boolean(serverIdentity(sections) && versionAtLeast(sections.server?.redis_version ?? '0', '7.0'))
    const latency = latencyResult && !latencyResult[0] ? parseLatencyLatest(latencyResult[1]) : []
    return {counters: countersOf(sections, latency, newestSlowlogId(slowlogResult), Date.now()), ownConnections}
  }
}

/** The id of the newest SLOWLOG entry, -1 for an empty log; undefined when SLOWLOG was refused. */
function newestSlowlogId(result: [Error | null, unknown] | undefined): number | undefined {
  if (!result || result[0] || !Array.isArray(result[1])) return undefined
  const newest = result[1][0] as unknown[] | undefined
  if (!newest) return -1
  const id = Number(newest[0])
  return Number.isFinite(id) ? id : undefined
}
