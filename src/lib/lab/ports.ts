import {createServer} from 'node:net'

import {labError} from '../shared/errors.js'

/** Free loopback ports for lab servers (and their cluster bus ports, port + 10000). */

export const LAB_HOST = '127.0.0.1'
export const BUS_OFFSET = 10_000
/** The system Redis lives there: never used, whatever is asked. */
export const RESERVED_PORTS: ReadonlySet<number> = new Set([6379])

const RANDOM_BASE_MIN = 20_000
const RANDOM_BASE_MAX = 29_000

export function isPortFree(port: number, host = LAB_HOST): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', () => resolve(false))
    server.listen({port, host, exclusive: true}, () => server.close(() => resolve(true)))
  })
}

export interface AllocateOptions {
  /** First port to try; default a random base in 20000-29000 so parallel labs rarely meet. */
  start?: number
  /** Also require port + 10000 free (cluster nodes). */
  withBus: boolean
  /** Ports (and bus ports) already used by this lab. */
  exclude?: Iterable<number>
}

/** `count` ports P, ascending from the start, with P (and P+10000) free now and distinct from each other. */
export async function allocatePorts(count: number, options: AllocateOptions): Promise<number[]> {
  const offset = options.withBus ? BUS_OFFSET : 0
  const max = 65_535 - offset
  const taken = new Set<number>(options.exclude ?? [])
  const chosen: number[] = []
  const start = options.start ?? RANDOM_BASE_MIN + Math.floor(Math.random() * (RANDOM_BASE_MAX - RANDOM_BASE_MIN))
  const usable = (p: number) =>
    p >= 1024 && p <= max && !RESERVED_PORTS.has(p) && !RESERVED_PORTS.has(p + offset) && !taken.has(p) && !taken.has(p + offset)

  let next = Math.max(1024, start)
  let wrapped = options.start !== undefined && options.start > RANDOM_BASE_MIN
  const batch = Math.max(16, count * 2)
  while (chosen.length < count) {
    if (next > max) {
      if (wrapped) break
      // the requested region is full: continue in the random region
      wrapped = true
      next = RANDOM_BASE_MIN
    }
    const candidates: number[] = []
    for (; candidates.length < batch && next <= max; next++) if (usable(next)) candidates.push(next)
    const free = await Promise.all(candidates.map(async (p) => (await isPortFree(p)) && (offset === 0 || (await isPortFree(p + offset)))))
    for (const [i, p] of candidates.entries()) {
      if (chosen.length >= count) break
      if (!free[i] || !usable(p)) continue
      chosen.push(p)
      taken.add(p)
      taken.add(p + offset)
    }
  }
  if (chosen.length < count) throw labError(`could not find ${count} free port(s) on ${LAB_HOST}`)
  return chosen
}
