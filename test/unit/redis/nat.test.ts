import {describe, expect, it} from 'vitest'

import {formatNatRule, mapAddress, parseNatRule} from '../../../src/lib/redis/nat.js'
import {connectAddress, resolveTarget, targetFor} from '../../../src/lib/redis/target.js'
import {natMapFunction} from '../../../src/lib/replay/models/ioredis.js'

const usage = expect.objectContaining({code: 'USAGE', exitCode: 2})

describe('parseNatRule', () => {
  it('reads host=host, host:port=host:port, host:port=host and IPv6 on either side', () => {
    expect(parseNatRule('10.0.0.5=127.0.0.1')).toEqual({from: {host: '10.0.0.5'}, to: {host: '127.0.0.1'}})
    expect(parseNatRule('10.0.0.5:6379=127.0.0.1:7001')).toEqual({
      from: {host: '10.0.0.5', port: 6379},
      to: {host: '127.0.0.1', port: 7001},
    })
    expect(parseNatRule('redis-0.svc:6379=localhost')).toEqual({from: {host: 'redis-0.svc', port: 6379}, to: {host: 'localhost'}})
    expect(parseNatRule('[fd00::5]:6379=[::1]:7001')).toEqual({from: {host: 'fd00::5', port: 6379}, to: {host: '::1', port: 7001}})
    expect(parseNatRule(' fd00::5 = ::1 ')).toEqual({from: {host: 'fd00::5'}, to: {host: '::1'}})
  })

  it('refuses what it cannot apply, as a usage error that shows the expected form', () => {
    for (const bad of ['', '10.0.0.5', '=127.0.0.1', '10.0.0.5=', 'a=b=c', '10.0.0.5:0=h', 'h:99999=h', 'h:x=h', '127.0.0.1:7850:1=h']) {
      expect(() => parseNatRule(bad), bad).toThrow(usage)
    }
    expect(() => parseNatRule('10.0.0.5')).toThrow(/expected FROM=TO/)
    // a host-only FROM maps every port, so it cannot name one port on the other side
    expect(() => parseNatRule('10.0.0.5=127.0.0.1:7001')).toThrow(/maps every port/)
  })

  it('prints rules back as they are written', () => {
    for (const text of ['10.0.0.5=127.0.0.1', '10.0.0.5:6379=127.0.0.1:7001', '[fd00::5]:6379=[::1]:7001']) {
      expect(formatNatRule(parseNatRule(text))).toBe(text)
    }
  })
})

describe('mapAddress', () => {
  const rules = ['10.0.0.5=127.0.0.1', '10.0.0.5:6380=127.0.0.1:7380', 'Redis-1.svc:6379=127.0.0.1:7001'].map(parseNatRule)

  it('prefers the rule for host:port over the rule for the host, keeps the port for a host rule', () => {
    expect(mapAddress(rules, '10.0.0.5', 6379)).toMatchObject({host: '127.0.0.1', port: 6379})
    expect(mapAddress(rules, '10.0.0.5', 6380)).toMatchObject({host: '127.0.0.1', port: 7380})
    expect(mapAddress(rules, 'redis-1.SVC', 6379)).toMatchObject({host: '127.0.0.1', port: 7001})
  })

  it('leaves every other address alone, and says no rule applied', () => {
    expect(mapAddress(rules, '10.0.0.6', 6379)).toEqual({host: '10.0.0.6', port: 6379})
    expect(mapAddress(rules, 'redis-1.svc', 6380)).toEqual({host: 'redis-1.svc', port: 6380})
    expect(mapAddress(undefined, '10.0.0.5', 6379)).toEqual({host: '10.0.0.5', port: 6379})
  })
})

describe('--nat-map on the target', () => {
  const target = resolveTarget({spec: '127.0.0.1:7000', natMap: ['10.0.0.5=127.0.0.1', 'redis-2.svc:6379=127.0.0.1:7002'], env: {}})

  it('rewrites the announced addresses of other nodes, never the seed the user gave', () => {
    expect(target).toMatchObject({host: '127.0.0.1', port: 7000})
    expect(targetFor(target, '10.0.0.5:7001')).toMatchObject({host: '127.0.0.1', port: 7001})
    expect(connectAddress(target, '10.0.0.5:7001')).toBe('127.0.0.1:7001')
    expect(connectAddress(target, '10.0.0.9:7001')).toBe('10.0.0.9:7001')
  })

  it('keeps the announced host name as the TLS server name: it is what the node certificate names', () => {
    const tls = resolveTarget({spec: '127.0.0.1:7000', tls: true, natMap: ['redis-2.svc:6379=127.0.0.1:7002'], env: {}})
    expect(targetFor(tls, 'redis-2.svc:6379')).toMatchObject({host: '127.0.0.1', port: 7002, tls: {servername: 'redis-2.svc'}})
  })

  it('refuses a bad --nat-map before anything connects', () => {
    expect(() => resolveTarget({spec: 'h:1', natMap: ['nonsense'], env: {}})).toThrow(usage)
  })

  it("gives ioredis' natMap the same answers (its keys are host:port, IPv6 unbracketed)", () => {
    const natMap = natMapFunction(target.natMap!)
    expect(natMap('10.0.0.5:7001')).toEqual({host: '127.0.0.1', port: 7001})
    expect(natMap('redis-2.svc:6379')).toEqual({host: '127.0.0.1', port: 7002})
    expect(natMap('10.0.0.9:7001')).toBeNull()
    expect(natMapFunction([parseNatRule('fd00::5=::1')])('fd00::5:7001')).toEqual({host: '::1', port: 7001})
    expect(natMap('garbage')).toBeNull()
  })
})
