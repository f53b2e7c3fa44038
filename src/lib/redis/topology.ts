import {authError, errorMessage, type RcdiagError, unreachableError, usageError} from '../shared/errors.js'
import type {SkippedCheck} from '../parse/types.js'
import {closeConnection, openConnection, type Connection} from './connection.js'
import {blockedKind, connectionError, failureKind, isCommandRefused} from './failures.js'
import {formatAddress, type Target} from './target.js'
import {parseClusterInfo} from '../parse/cluster-info.js'
import {parseClusterNodes} from '../parse/cluster-nodes.js'
import {parseClusterShards} from '../parse/cluster-shards.js'
import {parseClusterSlots} from '../parse/cluster-slots.js'
import {slotTableFrom} from './slot-table.js'

export interface TopologyNode {
  address: string
  host: string
  port: number
  id?: string
  role: 'master' | 'replica' | 'unknown'
  /** the seed's view says it is failed */
  failed: boolean
  /** for replicas, the master's id */
  masterId?: string
  slots: Array<[number, number]>
}

export interface Topology {
  mode: 'cluster' | 'standalone'
  /** which command the node list came from */
  source: 'cluster shards' | 'cluster slots' | 'cluster nodes' | 'standalone'
  nodes: TopologyNode[]
  /**
   * CLUSTER SHARDS, NODES and SLOTS were all refused to this user (ACL): the topology is unknown,
   * only the seed can be read, and these say why. Absent when the topology was read.
   */
  refused?: SkippedCheck[]
}

/**
 * Finds every node from one seed: CLUSTER SHARDS (Redis 7), else CLUSTER NODES (older servers, or
 * SHARDS refused by an ACL), else CLUSTER SLOTS (NODES refused too). NODES before SLOTS because it
 * also names failed nodes and every replica's master. "cluster support disabled" means a standalone
 * server: the seed is the only node.
 */
export async function discoverTopology(seed: Connection, seedHost: string, seedPort: number, useTls: boolean): Promise<Topology> {
  const seedAddress = formatAddress(seedHost, seedPort)
  const standalone: Topology = {
    mode: 'standalone',
    source: 'standalone',
    nodes: [{address: seedAddress, host: seedHost, port: seedPort, role: 'master', failed: false, slots: []}],
  }
  const refused: SkippedCheck[] = []
  const refusal = (command: string, error: unknown): SkippedCheck => ({check: 'topology', command, reason: errorMessage(error)})
  try {
    const shards = parseClusterShards(await seed.call('CLUSTER', 'SHARDS'))
    const nodes: TopologyNode[] = []
    for (const shard of shards) {
      const masterId = shard.nodes.find((n) => n.role === 'master')?.id
      for (const node of shard.nodes) {
        const host = node.ip || node.endpoint || seedHost
        const port = (useTls ? node.tlsPort : node.port) ?? node.port ?? node.tlsPort
        if (!port) continue
        nodes.push({
          address: formatAddress(host, port),
          host,
          port,
          id: node.id,
          role: node.role,
          failed: node.health === 'fail' || node.health === 'failed',
          masterId: node.role === 'replica' ? masterId : undefined,
          slots: node.role === 'master' ? shard.slots : [],
        })
      }
    }
    return {mode: 'cluster', source: 'cluster shards', nodes: dedupe(nodes, seedAddress)}
  } catch (error) {
    if (failureKind(error) === 'cluster-disabled') return standalone
    if (!isCommandRefused(error)) throw error
    refused.push(refusal('CLUSTER SHARDS', error))
  }
  try {
    const text = String(await seed.call('CLUSTER', 'NODES'))
    const lines = parseClusterNodes(text)
    const nodes = lines
      .filter((line) => line.port > 0 && !line.flags.includes('noaddr') && !line.flags.includes('handshake'))
      .map((line): TopologyNode => ({
        address: line.myself && !line.host ? seedAddress : line.address,
        host: line.host || seedHost,
        port: line.port,
        id: line.id,
        role: line.role,
        failed: line.flags.includes('fail'),
        masterId: line.masterId,
        slots: line.slots,
      }))
    return {mode: 'cluster', source: 'cluster nodes', nodes: dedupe(nodes, seedAddress)}
  } catch (error) {
    if (failureKind(error) === 'cluster-disabled') return standalone
    if (!isCommandRefused(error)) throw error
    refused.push(refusal('CLUSTER NODES', error))
  }
  let slotsReply: unknown
  try {
    slotsReply = await seed.call('CLUSTER', 'SLOTS')
  } catch (error) {
    if (!isCommandRefused(error) || failureKind(error) === 'unknown-command') throw error
    // Every way to the topology is refused (a user with +@read only): read what the seed allows, and say why.
    const seedNode: TopologyNode = {...standalone.nodes[0], role: 'unknown'}
    return {...standalone, nodes: [seedNode], refused: [...refused, refusal('CLUSTER SLOTS', error)]}
  }
  const ranges = parseClusterSlots(slotsReply)
  const nodes: TopologyNode[] = []
  for (const range of ranges) {
    nodes.push({...toNode(range.master, 'master', seedHost), slots: [[range.start, range.end]]})
    for (const replica of range.replicas) nodes.push({...toNode(replica, 'replica', seedHost), masterId: range.master.id})
  }
  return {mode: 'cluster', source: 'cluster slots', nodes: dedupe(nodes, seedAddress)}
}

/** A CLUSTER SLOTS node; an empty host (a node that does not know its own IP) is the seed's, as in the other paths. */
function toNode(n: {host: string; port: number; id?: string}, role: 'master' | 'replica', seedHost: string): TopologyNode {
  const host = n.host || seedHost
  return {address: formatAddress(host, n.port), host, port: n.port, id: n.id, role, failed: false, slots: []}
}

/** One entry per address, slot ranges merged; masters first, then by address, for stable output. */
function dedupe(nodes: TopologyNode[], seedAddress: string): TopologyNode[] {
  const byAddress = new Map<string, TopologyNode>()
  for (const node of nodes) {
    const seen = byAddress.get(node.address)
    if (seen) seen.slots = [...seen.slots, ...node.slots]
    else byAddress.set(node.address, {...node, slots: [...node.slots]})
  }
  const list = [...byAddress.values()]
  if (list.length === 0) throw unreachableError(`${seedAddress}: the cluster reports no nodes`)
  return list.sort((a, b) => roleRank(a) - roleRank(b) || a.host.localeCompare(b.host) || a.port - b.port)
}

const roleRank = (n: TopologyNode) => (n.role === 'master' ? 0 : n.role === 'replica' ? 1 : 2)

export interface Discovery {
  topology: Topology
  /** slot → master address from the seed's CLUSTER SLOTS: what a cluster client routes by (when asked for) */
  slots?: Array<string | undefined>
  /** what the seed said about itself (cluster mode) */
  seed: SeedView
}

/** The seed as reached at the address the user gave: which node it is and the state it reports. */
export interface SeedView {
  address: string
  /** CLUSTER MYID; undefined when refused */
  id?: string
  /** CLUSTER INFO cluster_state and cluster_slots_ok; undefined when refused */
  clusterState?: string
  slotsOk?: number
}

/** Which node the seed is and what it says of the cluster, in one round trip; a refusal leaves that part unknown. */
async function readSeedView(seed: Connection, address: string): Promise<SeedView> {
  const results = (await seed.pipeline().call('CLUSTER', 'MYID').call('CLUSTER', 'INFO').exec()) ?? []
  const [myid, info] = results.map(([error, reply]) => (error ? undefined : String(reply)))
  const clusterInfo = info ? parseClusterInfo(info) : {}
  const slotsOk = Number(clusterInfo.cluster_slots_ok)
  return {
    address,
    id: myid?.trim() || undefined,
    clusterState: clusterInfo.cluster_state,
    slotsOk: clusterInfo.cluster_slots_ok !== undefined && Number.isFinite(slotsOk) ? slotsOk : undefined,
  }
}

/**
 * Opens the seed, reads the topology (and, with `slotTable`, the slot map a client would route by),
 * closes it. An unreachable seed is the caller's error, one line; `requireCluster` makes a standalone
 * server a usage error with the given reason.
 */
export async function discover(target: Target, options: {slotTable?: boolean; requireCluster?: string} = {}): Promise<Discovery> {
  const seedAddress = formatAddress(target.host, target.port)
  const seed = await openConnection(target).catch((error: unknown) => {
    throw stuckSeed(seedAddress, error) ?? error
  })
  try {
    const topology = await discoverTopology(seed, target.host, target.port, Boolean(target.tls))
    if (options.requireCluster && topology.refused) {
      throw authError(
        `${seedAddress}: this user may not read the cluster's topology (${topology.refused.map((r) => r.command).join(', ')} refused: ` +
          `${topology.refused.at(-1)!.reason}); ${options.requireCluster}: grant it +cluster|slots at least`,
      )
    }
    if (options.requireCluster && topology.mode !== 'cluster') {
      throw usageError(`${seedAddress} is a standalone Redis; ${options.requireCluster}`)
    }
    if (topology.mode !== 'cluster') return {topology, seed: {address: seedAddress}}
    const seedView = await readSeedView(seed, seedAddress)
    if (!options.slotTable) return {topology, seed: seedView}
    return {topology, seed: seedView, slots: slotTableFrom(parseClusterSlots(await seed.call('CLUSTER', 'SLOTS')))}
  } catch (error) {
    throw stuckSeed(seedAddress, error) ?? connectionError(seedAddress, error)
  } finally {
    closeConnection(seed)
  }
}

/** A stuck seed (BUSY, LOADING, silent) cannot tell the topology: say so, and what to do, in one line. */
function stuckSeed(seedAddress: string, error: unknown): RcdiagError | undefined {
  const kind = blockedKind(error)
  if (!kind) return undefined
  const what = {
    busy: 'busy running a script',
    loading: 'loading its dataset',
    masterdown: 'a replica without its master',
    stalled: 'not answering',
  }[kind]
  const reason = errorMessage(error).replace(`${seedAddress}: `, '')
  return unreachableError(
    `${seedAddress} is stuck (${what}: ${reason}) and cannot tell the topology; if it is part of a cluster, probe another node`,
    error,
  )
}

/** Address → node id, for the nodes the topology names with an id: what each announced address must lead to. */
export function expectedIdsOf(topology: Topology): ReadonlyMap<string, string> {
  return new Map(topology.nodes.filter((n) => n.id).map((n) => [n.address, n.id!]))
}

/** The topology alone. */
export async function discoverFrom(target: Target): Promise<Topology> {
  return (await discover(target)).topology
}
