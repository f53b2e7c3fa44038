import type {SeedView, Topology} from '../redis/topology.js'
import {hostOf, portOf} from '../shared/address.js'
import type {AddressingEvidence, NodeEvidence} from './types.js'

/**
 * Tells a cluster whose announced addresses do not lead to its nodes from here (NAT, containers,
 * a bastion's port forwards) from one whose nodes are down. The seed answered at the address the
 * user gave, so the addresses are at fault when:
 * - an announced address leads to another node (its CLUSTER MYID is not the one announced there);
 * - the seed's own node, announced elsewhere, does not answer there;
 * - no announced address answers at all (and none is merely stuck).
 * Stuck nodes (BUSY, LOADING, stalled) answered: they are node-blocked's, never an addressing fault.
 */
export function analyseAddressing(seed: SeedView, natMap: string[], topology: Topology, nodes: NodeEvidence[]): AddressingEvidence {
  const seedAnnouncedAs = seed.id ? topology.nodes.find((n) => n.id === seed.id)?.address : undefined
  const failing = nodes.filter((n) => !n.reachable && !n.blocked)
  const wrongNode = nodes.some((n) => n.answeredAs)
  const seedUnreachable =
    seedAnnouncedAs !== undefined && seedAnnouncedAs !== seed.address && failing.some((n) => n.address === seedAnnouncedAs)
  const noneAnswered = nodes.length > 0 && failing.length === nodes.length
  const unusable = topology.mode === 'cluster' && (wrongNode || seedUnreachable || noneAnswered)
  return {
    seed: seed.address,
    seedId: seed.id,
    seedAnnouncedAs,
    seedClusterState: seed.clusterState,
    natMap,
    mappedNodes: nodes.filter((n) => n.connectedAt).length,
    unusable,
    failing: unusable
      ? failing.map((n) => ({
          address: n.address,
          ...(n.connectedAt ? {connectedAt: n.connectedAt} : {}),
          reason: n.error ?? 'unreachable',
          ...(n.answeredAs ? {answeredAs: n.answeredAs} : {}),
        }))
      : [],
    suggestedNatMap: unusable ? suggestNatMap(seed.address, seedAnnouncedAs) : undefined,
  }
}

/** Same port: the host moved (one rule for every node of that host); else this node's address only. */
function suggestNatMap(seed: string, announced: string | undefined): string | undefined {
  if (!announced || announced === seed) return undefined
  if (portOf(announced) === portOf(seed)) return `${bracket(hostOf(announced))}=${bracket(hostOf(seed))}`
  return `${announced}=${seed}`
}

const bracket = (host: string) => (host.includes(':') ? `[${host}]` : host)

/** One line for commands that cannot go on without the nodes (replay): which addresses fail, and the way out. */
export function addressingProblem(a: AddressingEvidence | undefined): string | undefined {
  if (!a?.unusable) return undefined
  const listed = a.failing
    .slice(0, 3)
    .map((f) => `${f.address} (${f.answeredAs ? `another node answered, id ${f.answeredAs.id.slice(0, 8)}` : f.reason})`)
  const more = a.failing.length > 3 ? ` and ${a.failing.length - 3} more` : ''
  const seed = `the seed answered at ${a.seed}${a.seedAnnouncedAs && a.seedAnnouncedAs !== a.seed ? `, announced as ${a.seedAnnouncedAs}` : ''}`
  const fix = a.suggestedNatMap ? `; try --nat-map ${a.suggestedNatMap}` : '; map them with --nat-map FROM=TO'
  return `the cluster's announced addresses are unreachable from here: ${listed.join(', ')}${more}; ${seed}${fix} (rcdiag probe shows the details)`
}
