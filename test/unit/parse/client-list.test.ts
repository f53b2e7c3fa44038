import {describe, expect, it} from 'vitest'
import {parseClientList} from '../../../src/lib/parse/index.js'
import {fixtureText} from './fixtures.js'

describe('parseClientList (real CLIENT LIST from 7.0.15)', () => {
  const clients = parseClientList(fixtureText('client-list.txt'))
  const byName = (name: string) => clients.find((c) => c.name === name)

  it('reads every client', () => {
    expect(clients).toHaveLength(6)
    expect(clients.map((c) => c.id)).toEqual([9, 3, 5, 6, 7, 8])
  })

  it('reads names, ages and idle times', () => {
    expect(byName('rcdiag-probe')).toMatchObject({id: 7, age: 1, idle: 1, cmd: 'set', flags: 'N', db: 0, user: 'default'})
    expect(byName('app-worker-1')).toMatchObject({id: 8, cmd: 'NULL'}) // last command was unknown
    expect(byName('app-worker-2')).toMatchObject({id: 9, cmd: 'lpush', addr: '127.0.0.1:49364', laddr: '127.0.0.1:17140'})
    expect(clients.filter((c) => c.name === '')).toHaveLength(3)
    expect(clients.find((c) => c.id === 3)).toMatchObject({age: 7, idle: 1, cmd: 'cluster|slots'})
  })

  it('marks the replica link and keeps unmodelled fields raw', () => {
    const replica = clients.find((c) => c.flags === 'S')
    expect(replica).toMatchObject({id: 5, cmd: 'replconf'})
    expect(replica?.raw.omem).toBe('20504')
    expect(replica?.raw.resp).toBe('2')
  })

  it('has no lib-name/lib-ver on 7.0', () => {
    expect(clients.every((c) => c.libName === undefined && c.libVer === undefined)).toBe(true)
    expect(Object.keys(clients[0].raw)).not.toContain('lib-name')
  })
})

describe('CLIENT LIST edge cases', () => {
  it('reads the Redis 7.2 lib-name/lib-ver fields and empty values', () => {
    const [c] = parseClientList(
      'id=42 addr=10.0.0.9:5000 laddr=10.0.0.1:6379 fd=8 name= age=120 idle=30 flags=N db=3 cmd=get user=app lib-name=ioredis lib-ver=6.0.0\r\n',
    )
    expect(c).toMatchObject({id: 42, name: '', age: 120, idle: 30, db: 3, libName: 'ioredis', libVer: '6.0.0'})
  })

  it('survives a value with a space and minimal (old) lines', () => {
    const [c] = parseClientList('id=1 addr=1.2.3.4:5 name=odd name age=2 idle=0 flags=N cmd=get\n\n')
    expect(c.name).toBe('odd name')
    expect(c.laddr).toBeUndefined()
    expect(c.user).toBeUndefined()
    expect(c.db).toBe(0)
    expect(parseClientList('')).toEqual([])
  })

  it('throws clear errors', () => {
    expect(() => parseClientList(null as unknown as string)).toThrow('CLIENT LIST reply: expected text, got null')
    expect(() => parseClientList('ERR something')).toThrow(/CLIENT LIST reply: line 1 is not a client entry/)
    expect(() => parseClientList('id=1 addr=a:1 age=x idle=0')).toThrow(/CLIENT LIST reply: line 1 field "age" is not a number/)
  })
})
