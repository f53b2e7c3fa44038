import {withDeadline} from '../shared/deadline.js'
import {median} from '../shared/stats.js'
import {closeConnection, openConnection, oversizedReply, type Connection} from './connection.js'
import {blockedKind, ConnectionClosedError, failureKind, isReplyError, nodeErrorText, noAnswerText, wrongNodeMessage} from './failures.js'
import {connectAddress, targetFor, type Target} from './target.js'
import {errorMessage, RcdiagError} from '../shared/errors.js'
import type {SkippedCheck} from '../parse/types.js'
import {emptySnapshot, type CollectedNode, type NodeSnapshot} from './snapshot-types.js'
import {parseClientList} from '../parse/client-list.js'
import {parseClusterInfo} from '../parse/cluster-info.js'
import {parseClusterNodes} from '../parse/cluster-nodes.js'
import {parseConfigGet} from '../parse/config-get.js'
import {parseCommandstats, parseErrorstats, parseInfo, parseLatencystats} from '../parse/info.js'
import {parseLatencyLatest} from '../parse/latency-latest.js'
import {parseSlowlogTimeline} from '../parse/slowlog.js'
import {CONFIG_KEYS, plannedCommands, type PlannedCommand} from './commands.js'

export interface SnapshotOptions {
  mode: 'cluster' | 'standalone'
  /** PINGs for the round-trip median; 0 skips it */
  pings: number
  /** time one CLUSTER SLOTS (what a client topology refresh costs) */
  timeTopologyCall: boolean
  /** address → the node id the topology gives it: a node answering with another id is not read as that node */
  expectedIds?: ReadonlyMap<string, string>
}

/** A node read by `readNode`, with its connection still open for `timeNode`. */
export interface OpenNode {
  collected: CollectedNode
  redis?: Connection
}

/**
 * One node, one connection: a pipelined round trip with every read command. A node that does not
 * answer within the budget is marked unreachable; a refused command only marks its own check as
 * skipped. The connection stays open for `timeNode`; the caller closes it.
 */
export async function readNode(base: Target, address: string, options: SnapshotOptions): Promise<OpenNode> {
  const target = targetFor(base, address)
  const snapshot = emptySnapshot(address, Date.now())
  const reachedAt = connectAddress(base, address)
  if (reachedAt !== address) snapshot.connectedAt = reachedAt
  const before: Record<string, number> = {}
  const after: Record<string, number> = {}
  const collected: CollectedNode = {
    snapshot,
    ownCallsBeforeInfo: before,
    ownCallsAfterInfo: after,
    ownConnectionsBeforeInfo: 1,
    ownConnectionsAfterInfo: 0,
  }
  let redis: Connection | undefined
  try {
    redis = await openConnection(target)
    if (target.password) count(before, 'auth')
    count(before, 'client|setname')

    const planned = plannedCommands(options.mode)
    const pipeline = redis.pipeline()
    for (const command of planned) {
      if (command.buffer) pipeline.callBuffer(...command.args)
      else pipeline.call(...command.args)
    }
    const budget = target.commandTimeoutMs
    const results = await withDeadline(pipeline.exec(), budget + 250, `no reply within ${budget} ms`)
    if (!results) throw new ConnectionClosedError('connection closed during the pipeline')
    const failures = results.filter(([error]) => error && !isReplyError(error))
    if (failures.length === results.length) throw failures[0][0]
    // A node that answers only that it cannot serve (BUSY, LOADING, MASTERDOWN) is stuck, not refusing:
    // nothing could be read from it, and its refusals are no skipped checks.
    const stuck = results.find(([error]) => error && blockedKind(error))
    if (stuck) throw stuck[0]
    planned.forEach((command, index) => {
      const [error, reply] = results[index]
      if (error) {
        snapshot.skipped.push(skipped(command, error))
      } else {
        count(after, command.stat)
        absorb(snapshot, command, reply)
      }
    })
    const expected = options.expectedIds?.get(address)
    if (expected && snapshot.id && snapshot.id !== expected) {
      // What was read belongs to another node: none of it may be reported as this one's.
      closeConnection(redis)
      return {collected: {...collected, snapshot: wrongNode(snapshot, expected)}}
    }
    return {collected, redis}
  } catch (error) {
    const oversized = oversizedReply(redis)
    closeConnection(redis)
    markUnreachable(snapshot, oversized ? new Error(oversized) : error, target.commandTimeoutMs)
    return {collected}
  }
}

/**
 * The timed part, run once every node has been read, so that no other node's replies are being
 * parsed on our event loop while a PING is in flight (that would inflate the round trip):
 * the RTT PINGs and one timed CLUSTER SLOTS. The read connection may have been closed meanwhile
 * (a server `timeout` shorter than a slow node's read): then one new connection is opened and
 * counted as rcdiag's own. A timing that fails only leaves the timing out: the node answered.
 */
export async function timeNode(node: OpenNode, base: Target, options: SnapshotOptions): Promise<void> {
  const {collected} = node
  if (!collected.snapshot.reachable) return
  if (options.pings <= 0 && !(options.timeTopologyCall && options.mode === 'cluster')) return
  const {snapshot, ownCallsAfterInfo: after} = collected
  try {
    if (node.redis?.status !== 'ready') {
      closeConnection(node.redis)
      const target = targetFor(base, snapshot.address)
      node.redis = await openConnection(target)
      collected.ownConnectionsAfterInfo++
      if (target.password) count(after, 'auth')
      count(after, 'client|setname')
    }
    const redis = node.redis
    if (options.pings > 0) {
      const rtt = await measureRtt(redis, options.pings)
      snapshot.rttMs = rtt.median
      snapshot.rttMinMs = rtt.min
      count(after, 'ping', options.pings)
    }
    if (options.timeTopologyCall && options.mode === 'cluster') {
      const started = performance.now()
      await redis.call('CLUSTER', 'SLOTS')
      snapshot.topologyCallMs = round(performance.now() - started)
      count(after, 'cluster|slots')
    }
  } catch {
    // Answered the pipeline, then not the timing (dying, or CLUSTER SLOTS refused): timings stay unknown.
  }
}

/** A node that answered at this address with another node's id: unreachable as the node the cluster announces there. */
function wrongNode(read: NodeSnapshot, expectedId: string): NodeSnapshot {
  const snapshot = emptySnapshot(read.address, read.takenAtMs)
  snapshot.connectedAt = read.connectedAt
  snapshot.reachable = false
  snapshot.answeredAs = read.id
  snapshot.error = wrongNodeMessage(read.id!, expectedId)
  return snapshot
}

function markUnreachable(snapshot: NodeSnapshot, error: unknown, timeoutMs: number): void {
  snapshot.reachable = false
  // ioredis says only "Command timed out": say what it means here
  snapshot.error =
    failureKind(error) === 'no-reply' && !(error instanceof RcdiagError) ? noAnswerText(timeoutMs) : nodeErrorText(snapshot.address, error)
  const kind = blockedKind(error)
  if (kind) snapshot.blocked = {kind, reason: snapshot.error}
}

function absorb(snapshot: NodeSnapshot, command: PlannedCommand, reply: unknown): void {
  switch (command.label) {
    case 'INFO': {
      snapshot.info = parseInfo(String(reply))
      snapshot.commandstats = parseCommandstats(snapshot.info.commandstats ?? {})
      snapshot.errorstats = parseErrorstats(snapshot.info.errorstats ?? {})
      snapshot.latencystats = parseLatencystats(snapshot.info.latencystats ?? {})
      break
    }
    case 'CONFIG GET': {
      snapshot.config = pick(parseConfigGet(reply), CONFIG_KEYS)
      break
    }
    case 'CLIENT LIST': {
      snapshot.clients = parseClientList(String(reply))
      break
    }
    case 'SLOWLOG GET': {
      snapshot.slowlog = parseSlowlogTimeline(reply, snapshot.address)
      break
    }
    case 'SLOWLOG LEN': {
      snapshot.slowlogLen = Number(reply)
      break
    }
    case 'LATENCY LATEST': {
      snapshot.latencyLatest = parseLatencyLatest(reply)
      break
    }
    case 'CLUSTER INFO': {
      snapshot.clusterInfo = parseClusterInfo(String(reply))
      break
    }
    case 'CLUSTER NODES': {
      snapshot.clusterNodes = parseClusterNodes(String(reply))
      snapshot.id ??= snapshot.clusterNodes.find((line) => line.myself)?.id
      break
    }
    case 'CLUSTER MYID': {
      snapshot.id = String(reply).trim() || snapshot.id
      break
    }
  }
}

async function measureRtt(redis: Connection, pings: number): Promise<{median: number; min: number}> {
  const samples: number[] = []
  for (let i = 0; i < pings; i++) {
    const started = performance.now()
    await redis.ping()
    samples.push(performance.now() - started)
  }
  return {median: round(median(samples)), min: round(Math.min(...samples))}
}

function skipped(command: PlannedCommand, error: Error): SkippedCheck {
  return {check: command.check, command: command.label, reason: errorMessage(error)}
}

function count(map: Record<string, number>, key: string, n = 1): void {
  map[key] = (map[key] ?? 0) + n
}

const round = (ms: number) => Math.round(ms * 1000) / 1000

/** Only the keys asked for: CONFIG GET * also returns requirepass and masterauth, which must go no further. */
function pick(config: Record<string, string>, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of keys) if (Object.hasOwn(config, key)) out[key] = config[key]
  return out
}
