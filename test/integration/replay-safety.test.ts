/**
 * Replay only ever touches its own keys: a per-run token in their names, a refusal when one exists
 * already, and a failed write that still removes what was written. Real lab, 3 masters, no replicas.
 */
import calculateSlot from 'cluster-key-slot'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {resolveTarget} from '../../src/lib/redis/target.js'
import {readSlotMap} from '../../src/lib/redis/key-routing.js'
import {ensureKeysFree, planKeyspace} from '../../src/lib/replay/keys.js'
import type {ReplayReport} from '../../src/lib/replay/report.js'
import {connect, scanKeys} from '../helpers/clients.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {withLab} from '../helpers/lab.js'
import {schemaErrors} from '../helpers/schema.js'

type Lab = Awaited<ReturnType<typeof withLab>>

function ownerOf(lab: Lab, key: string): string {
  const slot = calculateSlot(key)
  const master = lab.state.nodes.find((n) => n.role === 'master' && n.slots && slot >= n.slots[0] && slot <= n.slots[1])
  if (!master) throw new Error(`no master for ${key}`)
  return master.address
}

async function onOwner<T>(lab: Lab, key: string, work: (redis: ReturnType<typeof connect>) => Promise<T>): Promise<T> {
  const redis = connect(ownerOf(lab, key))
  try {
    return await work(redis)
  } finally {
    redis.disconnect()
  }
}

async function keysMatching(lab: Lab, pattern: string): Promise<string[]> {
  return scanKeys(masterAddresses(lab), pattern)
}

const masterAddresses = (lab: Lab) => lab.state.nodes.filter((n) => n.role === 'master').map((n) => n.address)

const small = [
  '--idle',
  '300ms',
  '--cycles',
  '1',
  '--steady-bursts',
  '1',
  '--burst',
  '10',
  '--concurrency',
  '5',
  '--keys',
  '300',
  '--client',
  'single-flight',
]

describe('replay keys: only its own, never a user key', () => {
  let lab: Lab
  beforeAll(async () => {
    lab = await withLab({masters: 3, replicas: 0, timeoutSec: 0})
  })
  afterAll(async () => lab?.stop())

  it('two concurrent replays with the default prefix: separate run ids, no errors, a user key under the prefix untouched', async () => {
    // keys a user (or an older rcdiag) left under the default prefix, where the old naming would write
    await onOwner(lab, 'rcdiag:replay:5', (r) => r.hset('rcdiag:replay:5', 'owner', 'user', 'f0', 'keep'))
    await onOwner(lab, 'rcdiag:replay:7', (r) => r.set('rcdiag:replay:7', 'a string, not a hash'))
    const [a, b] = await Promise.all([runCli(['replay', lab.seed, '--json', ...small]), runCli(['replay', lab.seed, '--json', ...small])])
    for (const result of [a, b]) {
      expect(result.code, result.stderr).toBe(0)
      const report = parseJson<ReplayReport>(result)
      expect(schemaErrors('replay.schema.json', report)).toBe('')
      expect(report.keys).toMatchObject({mode: 'created', count: 300, removed: true, remaining: 0})
      expect(report.keys.prefix).toBe(`rcdiag:replay:${report.keys.runId}:`)
      expect(report.runs[0].phases.every((p) => p.errors === 0)).toBe(true)
    }
    expect(parseJson<ReplayReport>(a).keys.runId).not.toBe(parseJson<ReplayReport>(b).keys.runId)
    expect(await onOwner(lab, 'rcdiag:replay:5', (r) => r.hgetall('rcdiag:replay:5'))).toEqual({owner: 'user', f0: 'keep'})
    expect(await onOwner(lab, 'rcdiag:replay:7', (r) => r.get('rcdiag:replay:7'))).toBe('a string, not a hash')
    expect((await keysMatching(lab, 'rcdiag:replay:*')).sort()).toEqual(['rcdiag:replay:5', 'rcdiag:replay:7'])
  })

  it('refuses (usage error) when a key of the run already exists, and writes nothing', async () => {
    const target = resolveTarget({spec: lab.seed, env: {}})
    const slots = await readSlotMap(target, [lab.seed])
    expect(slots).toBeDefined()
    const planned = planKeyspace('rcdiag:replay:', 50, 2, 'deadbeef')
    await onOwner(lab, 'rcdiag:replay:deadbeef:7', (r) => r.set('rcdiag:replay:deadbeef:7', 'mine'))
    await expect(ensureKeysFree(target, slots!, planned)).rejects.toMatchObject({
      code: 'USAGE',
      exitCode: 2,
      message: expect.stringMatching(/1 key\(s\) under rcdiag:replay:deadbeef: already exist/),
    })
    expect(await keysMatching(lab, 'rcdiag:replay:deadbeef:*')).toEqual(['rcdiag:replay:deadbeef:7'])
    await onOwner(lab, 'rcdiag:replay:deadbeef:7', (r) => r.del('rcdiag:replay:deadbeef:7'))
  })

  it('a master refusing writes (OOM): one-line error saying the server refused, exit 3, an NDJSON error event, and no key left', async () => {
    const victim = lab.state.nodes.find((n) => n.role === 'master' && n.address !== lab.seed)!
    const admin = connect(victim.address)
    try {
      await admin.call('CONFIG', 'SET', 'maxmemory', '1')
      const result = await runCli(['replay', lab.seed, '--ndjson', ...small])
      expect(result.code, result.stderr).toBe(3)
      const lines = result.stderr.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(
        new RegExp(
          `^rcdiag: creating the replay keys: the server ${victim.address} refused: OOM .*\\(replay keys under rcdiag:replay:[0-9a-f]{8}: removed again, 0 remain\\)$`,
        ),
      )
      const last = JSON.parse(result.stdout.trim().split('\n').at(-1)!)
      expect(last).toMatchObject({type: 'error', code: 'REFUSED', exitCode: 3, message: expect.stringMatching(/OOM/)})
    } finally {
      await admin.call('CONFIG', 'SET', 'maxmemory', '0')
      admin.disconnect()
    }
    expect((await keysMatching(lab, 'rcdiag:replay:*')).sort()).toEqual(['rcdiag:replay:5', 'rcdiag:replay:7'])
  })
})
