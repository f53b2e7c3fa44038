import {labError} from '../shared/errors.js'
import {TOTAL_SLOTS} from '../shared/constants.js'
import {parseClusterInfo} from '../parse/cluster-info.js'
import {parseInfo} from '../parse/info.js'
import {failureKind} from '../redis/failures.js'
import {NodeSession} from '../redis/session.js'
import {LAB_CONTROL_TIMEOUTS, labTarget} from './control-target.js'
import {BUS_OFFSET} from './ports.js'
import type {LabNode} from './types.js'

/** Forming a Redis Cluster from fresh servers, with ioredis control connections only (no redis-cli). */

/** An even split of the 16384 slots over `masters` masters, inclusive ranges. */
export function slotRanges(masters: number): Array<[number, number]> {
  return Array.from({length: masters}, (_, i) => [
    Math.floor((i * TOTAL_SLOTS) / masters),
    Math.floor(((i + 1) * TOTAL_SLOTS) / masters) - 1,
  ])
}

export interface FormOptions {
  password?: string
  /** Epoch ms by which the cluster must be ok. */
  deadline: number
  onProgress?: (message: string) => void
  signal?: AbortSignal
}

interface NodeView {
  id: string
  address: string
  flags: string[]
  masterId: string
}

function parseClusterNodes(text: string): NodeView[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const f = line.split(' ')
      return {id: f[0] ?? '', address: (f[1] ?? '').split(/[@,]/)[0] ?? '', flags: (f[2] ?? '').split(','), masterId: f[3] ?? '-'}
    })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `check` (undefined = done, else what is still pending) until done or the deadline. */
async function pollUntil(what: string, deadline: number, check: () => Promise<string | undefined>, signal?: AbortSignal): Promise<void> {
  let pending: string | undefined = 'not checked yet'
  while (true) {
    if (signal?.aborted) throw labError('interrupted')
    try {
      pending = await check()
    } catch (error) {
      pending = (error as Error).message.split('\n')[0]
    }
    if (pending === undefined) return
    if (Date.now() >= deadline) throw labError(`cluster did not form in time: waiting for ${what}: ${pending}`)
    await sleep(50)
  }
}

/**
 * Nodes come in with roles, master slot ranges and replicaOf already planned; on return every node
 * has its `id`, every node reports cluster_state:ok with all slots and the planned role of every
 * other node, and every replica's link to its master is up.
 */
export async function formCluster(nodes: LabNode[], options: FormOptions): Promise<void> {
  const {deadline} = options
  const progress = options.onProgress ?? (() => {})
  const control = nodes.map((n) => new NodeSession(labTarget(n.host, n.port, {password: options.password}, LAB_CONTROL_TIMEOUTS)))
  try {
    const ids = await Promise.all(control.map((c) => c.text('CLUSTER', 'MYID')))
    nodes.forEach((n, i) => (n.id = ids[i]))
    const byAddress = new Map(nodes.map((n) => [n.address, n]))
    const byId = new Map(nodes.map((n) => [n.id!, n]))

    progress(`Assigning ${TOTAL_SLOTS} slots`)
    let epoch = 0
    await Promise.all(
      nodes.map(async (node, i) => {
        if (node.role !== 'master' || !node.slots) return
        const c = control[i]!
        // distinct config epochs up front, as redis-cli does: no epoch-collision dance afterwards
        await c.call('CLUSTER', 'SET-CONFIG-EPOCH', ++epoch).catch(() => {})
        const [from, to] = node.slots
        try {
          await c.call('CLUSTER', 'ADDSLOTSRANGE', from, to)
        } catch (error) {
          if (failureKind(error) !== 'unknown-command') throw error
          const slots = Array.from({length: to - from + 1}, (_, k) => from + k)
          await c.call('CLUSTER', 'ADDSLOTS', ...slots) // Redis < 7
        }
      }),
    )

    progress(`Introducing ${nodes.length} nodes to each other`)
    const meet = (c: NodeSession, n: LabNode) => c.call('CLUSTER', 'MEET', n.host, n.port, n.busPort ?? n.port + BUS_OFFSET)
    // Every node meets the first and, so that nobody waits for gossip (about a second a hop), every
    // node before it too: each pair shakes hands exactly once, all at the same time.
    await Promise.all(control.map((c, i) => Promise.all(nodes.slice(0, i).map((n) => meet(c, n)))))

    // Replicas are attached as soon as they know their master, while the rest is still meeting.
    const replicated = new Set<LabNode>()
    const replicas = nodes.map((n, i) => [n, control[i]!] as const).filter(([n]) => n.role === 'replica')
    const masterOf = (n: LabNode) => {
      const master = byAddress.get(n.replicaOf ?? '')
      if (!master?.id) throw labError(`replica ${n.address} has no master in the lab`)
      return master
    }
    let lastNudge = Date.now()
    await pollUntil(
      'every node to know every other node',
      deadline,
      async () => {
        const views = await Promise.all(control.map(async (c) => parseClusterNodes(await c.text('CLUSTER', 'NODES'))))
        const missing: Array<[number, LabNode[]]> = []
        const attach: Array<Promise<unknown>> = []
        for (const [i, view] of views.entries()) {
          const known = new Set(view.filter((v) => !v.flags.includes('handshake') && !v.flags.includes('noaddr')).map((v) => v.id))
          const lacking = nodes.filter((n) => !known.has(n.id!))
          if (lacking.length > 0) missing.push([i, lacking])
          const node = nodes[i]!
          if (node.role === 'replica' && !replicated.has(node)) {
            const master = masterOf(node)
            if (known.has(master.id!))
              attach.push(
                control[i]!.call('CLUSTER', 'REPLICATE', master.id!).then(
                  () => replicated.add(node),
                  () => {},
                ),
              )
          }
        }
        await Promise.all(attach)
        if (missing.length === 0 && replicated.size === replicas.length) return undefined
        // A handshake can be lost (e.g. to a busy node): after a while introduce stragglers again.
        if (Date.now() - lastNudge > 1000) {
          lastNudge = Date.now()
          await Promise.all(missing.flatMap(([i, lacking]) => lacking.map((n) => meet(control[i]!, n).catch(() => {}))))
        }
        if (missing.length === 0) return `${replicas.length - replicated.size} replica(s) not attached yet`
        const [i, lacking] = missing[0]!
        return `${missing.length} node(s) still missing peers, e.g. ${nodes[i]!.address} does not know ${lacking
          .map((n) => n.address)
          .slice(0, 3)
          .join(', ')}`
      },
      options.signal,
    )

    progress('Waiting for cluster_state:ok everywhere')
    await pollUntil(
      'cluster_state:ok, all slots and all roles on every node',
      deadline,
      async () => {
        const pending = await Promise.all(
          nodes.map(async (node, i): Promise<string | undefined> => {
            const c = control[i]!
            const [nodesText, infoText, replText] = await Promise.all([
              c.text('CLUSTER', 'NODES'),
              c.text('CLUSTER', 'INFO'),
              node.role === 'replica' ? c.text('INFO', 'replication') : Promise.resolve(''),
            ])
            const info = parseClusterInfo(infoText)
            if (info.cluster_state !== 'ok') return `${node.address}: cluster_state:${info.cluster_state}`
            if (info.cluster_slots_ok !== String(TOTAL_SLOTS)) return `${node.address}: cluster_slots_ok:${info.cluster_slots_ok}`
            for (const view of parseClusterNodes(nodesText)) {
              if (view.flags.some((f) => f === 'fail' || f === 'fail?' || f === 'handshake'))
                return `${node.address}: sees ${view.address} as ${view.flags.join(',')}`
              const expected = byId.get(view.id)
              if (!expected) return `${node.address}: knows a foreign node ${view.address}`
              const role = view.flags.includes('slave') ? 'replica' : view.flags.includes('master') ? 'master' : '?'
              if (role !== expected.role) return `${node.address}: sees ${view.address} as ${role}`
              if (role === 'replica' && byId.get(view.masterId)?.address !== expected.replicaOf)
                return `${node.address}: sees ${view.address} replicating ${view.masterId}`
            }
            if (node.role === 'replica') {
              const link = parseInfo(replText).replication?.master_link_status
              if (link !== 'up') return `${node.address}: master_link_status:${link}`
            }
            return undefined
          }),
        )
        const waiting = pending.filter((p): p is string => p !== undefined)
        return waiting.length === 0 ? undefined : `${waiting.length} node(s), e.g. ${waiting[0]}`
      },
      options.signal,
    )
    // A fresh lab starts clean: forming it on a busy machine can leave slow CLUSTER/PSYNC entries.
    await Promise.all(control.map((c) => c.call('SLOWLOG', 'RESET').catch(() => {})))
  } finally {
    for (const c of control) c.close()
  }
}
