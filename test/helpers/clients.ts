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
