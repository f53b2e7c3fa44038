/** Numbers and names that several layers agree on, defined once. */

/** Hash slots in a Redis Cluster. */
export const TOTAL_SLOTS = 16384

/** The name rcdiag gives its own connections (CLIENT SETNAME), so reports can leave them out. */
export const RCDIAG_CLIENT_NAME = 'rcdiag'

/** Nodes read at once by every fan-out (probe, slowlog, replay's server watch). */
export const DEFAULT_NODE_CONCURRENCY = 16

/** TCP connect + handshake budget for one node. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 2000

/** Budget for one reply (or one pipelined round trip) of one node. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 2000
