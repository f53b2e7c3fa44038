import {parseClusterInfo} from '../parse/cluster-info.js'
import {parseInfo} from '../parse/info.js'
import {describeServer, serverIdentity} from '../parse/server.js'
import {NodeSession} from '../redis/session.js'
import {errorMessage} from '../shared/errors.js'
import {LAB_POLL_TIMEOUTS, labTarget} from './control-target.js'
import {isRedisPid} from './process.js'
import type {LabNode, LabNodeStatus, LabState, LabStatus} from './types.js'

/** What a recorded lab looks like now: per node PID, PING, role and cluster view. */

async function nodeStatus(state: LabState, node: LabNode): Promise<LabNodeStatus> {
  const status: LabNodeStatus = {
    address: node.address,
    port: node.port,
    pid: node.pid,
    expectedRole: node.role,
    alive: isRedisPid(node.pid),
    answering: false,
  }
  // A dead PID's port may belong to someone else by now: do not talk to it.
  if (!status.alive) return status
  const control = new NodeSession(labTarget(node.host, node.port, {password: state.password, tls: state.options.tls}, LAB_POLL_TIMEOUTS))
  try {
    status.answering = (await control.text('PING')) === 'PONG'
    const info = parseInfo(await control.text('INFO'))
    const server = serverIdentity(info)
    if (server) status.server = describeServer(server)
    const replication = info.replication ?? {}
    const role = replication.role
    status.role = role === 'slave' ? 'replica' : state.standalone ? 'standalone' : 'master'
    if (role === 'slave') status.masterLinkStatus = replication.master_link_status
    if (!state.standalone) {
      const info = parseClusterInfo(await control.text('CLUSTER', 'INFO'))
      status.clusterState = info.cluster_state
      status.slotsAssigned = Number(info.cluster_slots_assigned)
      status.slotsOk = Number(info.cluster_slots_ok)
      status.knownNodes = Number(info.cluster_known_nodes)
    }
  } catch (error) {
    status.error = errorMessage(error).replace(`${node.address}: `, '')
  } finally {
    control.close()
  }
  return status
}

export async function labStatus(state: LabState): Promise<LabStatus> {
  const nodes = await Promise.all(state.nodes.map((n) => nodeStatus(state, n)))
  const result: LabStatus = {
    name: state.name,
    stateFile: state.stateFile,
    standalone: state.standalone,
    seed: state.seed,
    state: 'degraded',
    nodes,
  }
  if (!state.standalone) {
    const answering = nodes.filter((n) => n.answering)
    result.clusterState = answering.some((n) => n.clusterState === 'fail')
      ? 'fail'
      : answering.length > 0 && answering.every((n) => n.clusterState === 'ok')
        ? 'ok'
        : 'unknown'
  }
  if (nodes.every((n) => !n.alive)) result.state = 'down'
  else if (nodes.every((n) => n.alive && n.answering && !n.error) && (state.standalone || result.clusterState === 'ok')) result.state = 'up'
  return result
}
