import {Redis} from 'ioredis'

/** A plain connection to one lab node, for tests that need to poke or provoke a server. */
export function connect(address: string, options: {name?: string; password?: string} = {}): Redis {
  const [host, port] = splitAddress(address)
  return new Redis({
    host,
    port,
    password: options.password,
    connectionName: options.name,
    protocol: 2,
    disableClientInfo: true,
    lazyConnect: false,
    connectTimeout: 2000,
    commandTimeout: 3000,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  })
}

export function splitAddress(address: string): [string, number] {
  const index = address.lastIndexOf(':')
  return [address.slice(0, index), Number(address.slice(index + 1))]
}

/**
 * The incident's client misbehaving, in a loop: a new connection, a CLUSTER SLOTS and a
 * CONFIG GET cluster-require-full-coverage, then close; every `intervalMs`. Stops by itself after `maxMs`.
 */
export function startRefreshStorm(address: string, intervalMs = 40, maxMs = 20_000): {stop(): Promise<number>} {
  let running = true
  let cycles = 0
  const started = Date.now()
  const loop = (async () => {
    while (running && Date.now() - started < maxMs) {
      const redis = connect(address, {name: 'storm'})
      try {
        await redis.call('CLUSTER', 'SLOTS')
        await redis.call('CONFIG', 'GET', 'cluster-require-full-coverage')
        cycles++
      } catch {
        // a refused or slow node only slows the storm down
      } finally {
        redis.disconnect()
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs))
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      return cycles
    },
  }
}

/** Every key matching `pattern` on the given nodes (SCAN, read-only). */
export async function scanKeys(addresses: string[], pattern: string): Promise<string[]> {
  const found: string[] = []
  for (const address of addresses) {
    const redis = connect(address)
    try {
      let cursor = '0'
      do {
        const [next, batch] = (await redis.call('SCAN', cursor, 'MATCH', pattern, 'COUNT', '1000')) as [string, string[]]
        found.push(...batch)
        cursor = next
      } while (cursor !== '0')
    } finally {
      redis.disconnect()
    }
  }
  return found
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Calls of LATENCY LATEST a node has served: rcdiag sends one per node in each snapshot, and tests never do. */
async function latencyLatestCalls(redis: Redis): Promise<number> {
  const stats = String(await redis.info('commandstats'))
  // Redis 7 counts the subcommand, Redis 6 the whole LATENCY command (tests send no other)
  const match = /^cmdstat_latency(?:\|latest)?:calls=(\d+)/m.exec(stats)
  return match ? Number(match[1]) : 0
}

/**
 * Starts a `probe --sample` (`start`) and waits until it has taken its first snapshot of every node
 * (each node served its LATENCY LATEST): a condition, not a guess about how long the CLI takes to
 * start. Returns the still running probe.
 */
export async function startAfterFirstSnapshot<T>(
  addresses: string[],
  start: () => Promise<T>,
  timeoutMs = 15_000,
): Promise<{running: Promise<T>}> {
  const clients = addresses.map((address) => connect(address))
  try {
    const before = await Promise.all(clients.map(latencyLatestCalls))
    const running = start()
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const now = await Promise.all(clients.map(latencyLatestCalls))
      if (now.every((calls, i) => calls > before[i])) return {running}
      if (Date.now() > deadline) throw new Error('the probe took no snapshot in time')
      await sleep(50)
    }
  } finally {
    for (const redis of clients) redis.disconnect()
  }
}

/** The same ACL user on every node given (ACL users are per node, even in a cluster). */
export async function setUserEverywhere(addresses: string[], name: string, password: string, ...rules: string[]): Promise<void> {
  for (const address of addresses) {
    const redis = connect(address)
    try {
      await redis.call('ACL', 'SETUSER', name, 'on', `>${password}`, ...rules)
    } finally {
      redis.disconnect()
    }
  }
}
