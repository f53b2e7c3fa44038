import {describe, expect, it} from 'vitest'

import {resolveTarget} from '../../../src/lib/redis/target.js'
import {IoredisModel} from '../../../src/lib/replay/models/ioredis.js'

const events = {refreshStarted() {}, refreshEnded() {}, note() {}}

describe('ioredis model', () => {
  it('a cluster it cannot connect to is a one-line UNREACHABLE error (exit 3), promptly', async () => {
    // port 1 on loopback: refused at once
    const target = resolveTarget({spec: '127.0.0.1:1', env: {}, connectTimeoutMs: 500, commandTimeoutMs: 500})
    const model = new IoredisModel({target, nodes: ['127.0.0.1:1'], connectionName: 'rcdiag-replay-ioredis'})
    const started = Date.now()
    const error = await model.start(events).then(
      () => undefined,
      (e: unknown) => e,
    )
    await model.close()
    expect(error).toMatchObject({code: 'UNREACHABLE', exitCode: 3})
    expect(String((error as Error).message)).toMatch(/^ioredis model: could not connect to the cluster: 127\.0\.0\.1:1: /)
    expect(String((error as Error).message)).not.toContain('\n')
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it("gives every node its own TLS server name, never the seed's", () => {
    const target = resolveTarget({spec: 'rediss://seed.example.com:7000', env: {}})
    const model = new IoredisModel({
      target,
      nodes: ['seed.example.com:7000', 'node2.example.com:7001', '10.0.0.3:7002'],
      connectionName: 'x',
    })
    const cluster = (
      model as unknown as {
        cluster: {startupNodes: Array<{host: string; tls?: {servername?: string}}>; options: {redisOptions: {tls?: {servername?: string}}}}
      }
    ).cluster
    expect(cluster.startupNodes.map((n) => n.tls?.servername)).toEqual(['seed.example.com', 'node2.example.com', undefined])
    expect(cluster.options.redisOptions.tls?.servername).toBeUndefined()
    void model.close()
  })
})
