/** Numbers and names that several layers agree on, defined once. */

/** Hash slots in a Redis Cluster. */
export const TOTAL_SLOTS = 16384

/** The name rcdiag gives its own connections (CLIENT SETNAME), so reports can leave them out. */
export const RCDIAG_CLIENT_NAME = 'rcdiag'

/** Every connection rcdiag opens is named `rcdiag` or `rcdiag-…` (the replay's `rcdiag-replay-<model>`). */
export const isRcdiagClientName = (name: string): boolean => name === RCDIAG_CLIENT_NAME || name.startsWith(`${RCDIAG_CLIENT_NAME}-`)

/**
 * The default prefix of the keys replay creates: their writes, replicated to replicas by the
 * master's link (which has no rcdiag name), are rcdiag's own traffic too.
 */
export const RCDIAG_KEY_PREFIX = 'rcdiag:replay:'

/** Nodes read at once by every fan-out (probe, slowlog, replay's server watch). */
export const DEFAULT_NODE_CONCURRENCY = 16

/** TCP connect + handshake budget for one node. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 2000

/** Budget for one reply (or one pipelined round trip) of one node. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 2000

/**
 * The most bytes one reply may take before rcdiag gives up on the connection: a CLIENT LIST of
 * 50,000 clients is about 15 MB; something that sends an endless line (not a Redis server) would
 * otherwise grow the process by gigabytes in seconds.
 */
export const MAX_REPLY_BYTES = 64 * 1024 * 1024
