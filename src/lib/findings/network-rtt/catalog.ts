/** network-rtt: what `rcdiag explain network-rtt` prints, and every threshold and confidence its rule uses. */
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
  ratioToMedian: 3,
  minExtraMs: 2,
  absoluteInfoMs: 50,
  /**
   * when more than one node looks slow and they are at least this fraction of the timed nodes, there is no
   * "rest" to compare with (rcdiag's own host was busy, or the nodes sit in two places): no node is singled out
   */
  slowNodesFraction: 0.5,
  /** confidence of the warning: one node (or a few) slower than the rest */
  warningConfidence: 0.6,
  /** confidence of the info: every reachable node is >= `absoluteInfoMs` away */
  infoConfidence: 0.3,
} as const

const T = THRESHOLDS

export const ENTRY: CatalogEntry = {
  id: 'network-rtt',
  title: 'One node is much slower to answer than the rest',
  severities: ['info', 'warning'],
  meaning:
    'A node behind a congested link, in another zone, or on an overloaded host answers every command late; only keys in its slots are slow, which looks intermittent from the client.',
  detection:
    `Warning when a reachable node's fastest PING round trip (of 3; the median also carries scheduling noise) is >= ${T.ratioToMedian} x the median of the other reachable nodes and >= ${T.minExtraMs} ms above it, ` +
    'and such nodes are fewer than half of the nodes (when half look slow there is no "rest" to compare with: rcdiag\'s own host was busy, or the nodes sit in two places); ' +
    `info when every reachable node is >= ${T.absoluteInfoMs} ms away (rcdiag runs far from the cluster; its timings include that). ` +
    "Evidence: every node's round trip, slowest first.",
  remedy:
    'Check the host (CPU steal, load), the network path and zone placement of the slow node; move it or its clients closer, or fail over to a replica in a better place.',
}
