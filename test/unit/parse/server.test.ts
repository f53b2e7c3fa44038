import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import {parseInfo} from '../../../src/lib/parse/info.js'
import {capabilitiesOf, describeServer, serverIdentity, versionAtLeast} from '../../../src/lib/parse/server.js'

/** INFO server captured from each real binary (test/fixtures/servers/README.md). */
const info = (name: string) => parseInfo(readFileSync(new URL(`../../fixtures/servers/${name}-info-server.txt`, import.meta.url), 'utf8'))

describe('serverIdentity (INFO server of every supported server)', () => {
  it.each([
    ['redis-6.0.20', 'redis', '6.0.20', 'Redis 6.0.20'],
    ['redis-6.2.16', 'redis', '6.2.16', 'Redis 6.2.16'],
    ['redis-7.0.15', 'redis', '7.0.15', 'Redis 7.0.15'],
    ['redis-7.2.6', 'redis', '7.2.6', 'Redis 7.2.6'],
    ['redis-7.4.1', 'redis', '7.4.1', 'Redis 7.4.1'],
    // Valkey says redis_version:7.2.4 for compatibility: its own version is valkey_version
    ['valkey-7.2.7', 'valkey', '7.2.7', 'Valkey 7.2.7'],
    ['valkey-8.0.1', 'valkey', '8.0.1', 'Valkey 8.0.1'],
  ])('%s is %s %s', (name, vendor, version, described) => {
    const server = serverIdentity(info(name))
    expect(server).toEqual({vendor, version})
    expect(describeServer(server!)).toBe(described)
  })

  it('is undefined without INFO server: unknown, not guessed', () => {
    expect(serverIdentity({})).toBeUndefined()
    expect(capabilitiesOf({})).toBeUndefined()
    expect(capabilitiesOf({server: {redis_version: 'weird'}})).toBeUndefined()
  })
})

describe('capabilitiesOf: what each server can measure', () => {
  const table = (name: string) =>
    Object.entries(capabilitiesOf(info(name))!)
      .filter(([, has]) => has)
      .map(([what]) => what)

  it('Redis 6.0: none of errorstats, subcommand stats, latencystats, CLUSTER SHARDS, client lib info', () => {
    expect(table('redis-6.0.20')).toEqual([])
  })

  it('Redis 6.2: errorstats only', () => {
    expect(table('redis-6.2.16')).toEqual(['errorstats'])
  })

  it('Redis 7.0: all but the client library names', () => {
    expect(table('redis-7.0.15')).toEqual(['errorstats', 'subcommandStats', 'latencystats', 'clusterShards'])
  })

  it.each(['redis-7.2.6', 'redis-7.4.1', 'valkey-7.2.7', 'valkey-8.0.1'])('%s: everything', (name) => {
    expect(table(name)).toEqual(['errorstats', 'subcommandStats', 'latencystats', 'clusterShards', 'clientLibInfo'])
  })
})

describe('versionAtLeast', () => {
  it('compares part by part, numerically', () => {
    expect(versionAtLeast('7.0.15', '7.0')).toBe(true)
    expect(versionAtLeast('6.2.16', '7.0')).toBe(false)
    expect(versionAtLeast('10.0.0', '7.2')).toBe(true)
    expect(versionAtLeast('7.10.0', '7.2')).toBe(true)
    expect(versionAtLeast('7.2', '7.2.0')).toBe(true)
    expect(versionAtLeast('7.1.99', '7.2')).toBe(false)
  })
})
