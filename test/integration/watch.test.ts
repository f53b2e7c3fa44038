/**
 * `rcdiag watch`, first step (issue 11): on a real 3-master lab with `timeout 2`, a quiet cluster
 * gives no episode; a refresh storm (new connection, CLUSTER SLOTS, CONFIG GET, in a loop) started
 * in the middle of the watch is one episode, seen within two intervals, pointing to
 * topology-refresh-storm; a node that stops answering is an episode naming it, and the watch goes on.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {connect, setUserEverywhere, sleep, startRefreshStorm} from '../helpers/clients.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {withLab} from '../helpers/lab.js'
import {schemaErrors} from '../helpers/schema.js'

type Lab = Awaited<ReturnType<typeof withLab>>

/** The episode lines a watch printed: start time and the line. */
function episodes(stdout: string): Array<{startMs: number; line: string}> {
  return stdout
    .split('\n')
    .filter((line) => / {2}episode \d+: /.test(line))
    .map((line) => ({startMs: Date.parse(line.slice(0, line.indexOf(' '))), line}))
}

describe('rcdiag watch', () => {
  let lab: Lab
  beforeAll(async () => {
    lab = await withLab({masters: 3, replicas: 0, timeoutSec: 2})
  })
  afterAll(async () => lab?.stop())

  it('a quiet cluster: no episode, a summary with the own cost, exit 0', async () => {
    const result = await runCli(['watch', lab.seed, '--interval', '250ms', '--duration', '4s'])
    expect(result.code, result.stderr).toBe(0)
    expect(episodes(result.stdout)).toEqual([])
    expect(result.stdout).toMatch(
      /rcdiag watch redis:\/\/127\.0\.0\.1:\d+: 3 nodes, \d+ intervals of 250 ms over 4\.\d s, 0 episode\(s\); own cost [\d.]+ pipelined reads/,
    )
    expect(result.stdout).toContain('No episode: nothing stood out')
    // what the default settings promise: about one pipelined read per node per interval
    const reads = Number(/own cost ([\d.]+) pipelined reads/.exec(result.stdout)![1])
    expect(reads).toBeGreaterThan(3)
    expect(reads).toBeLessThanOrEqual(4.5)
  })

  it('a refresh storm in the middle: one episode within two intervals, pointing to topology-refresh-storm', async () => {
    const running = runCli(['watch', lab.seed, '--interval', '250ms', '--duration', '7s'])
    await sleep(3000) // past the baseline's first intervals
    const stormStart = Date.now()
    const storm = startRefreshStorm(lab.seed, 20)
    await sleep(1500)
    const cycles = await storm.stop()
    const result = await running
    expect(result.code, result.stderr).toBe(0)
    expect(cycles).toBeGreaterThan(10)
    const seen = episodes(result.stdout)
    expect(seen.length, result.stdout).toBeGreaterThanOrEqual(1)
    const first = seen[0]
    expect(first.line).toMatch(/topology calls\/s [\d.]+ \(normal [\d.]+\) on 127\.0\.0\.1:\d+/)
    expect(first.line).toContain('`rcdiag explain topology-refresh-storm`')
    expect(Math.abs(first.startMs - stormStart)).toBeLessThan(2 * 250 + 250)
  })

  it('--ndjson: a sample per interval, an episode event, a report last, each valid; --json: one report document', async () => {
    const running = runCli(['watch', lab.seed, '--interval', '250ms', '--duration', '5s', '--ndjson'])
    await sleep(2500)
    const storm = startRefreshStorm(lab.seed, 20)
    await sleep(1000)
    await storm.stop()
    const result = await running
    expect(result.code, result.stderr).toBe(0)
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as {type: string})
    for (const event of events) expect(schemaErrors('watch-events.schema.json', event), JSON.stringify(event).slice(0, 300)).toBe('')
    expect(events.filter((e) => e.type === 'sample').length).toBeGreaterThan(10)
    expect(events.some((e) => e.type === 'episode')).toBe(true)
    expect(events.at(-1)?.type).toBe('report')
    const {type: _type, ...report} = events.at(-1) as {type: string}
    expect(schemaErrors('watch.schema.json', report)).toBe('')

    const json = await runCli(['watch', lab.seed, '--interval', '250ms', '--duration', '1500ms', '--json'])
    expect(json.code, json.stderr).toBe(0)
    const doc = parseJson<{command: string; endedBy: string; episodes: unknown[]}>(json)
    expect(schemaErrors('watch.schema.json', doc)).toBe('')
    expect(doc).toMatchObject({command: 'watch', endedBy: 'duration', episodes: []})
  })

  it('--fail-on warning: stops at the first episode and exits 6 after the summary', async () => {
    const running = runCli(['watch', lab.seed, '--interval', '250ms', '--duration', '20s', '--fail-on', 'warning'])
    await sleep(2500)
    const stormStart = Date.now()
    const storm = startRefreshStorm(lab.seed, 20)
    await sleep(1000)
    await storm.stop()
    const result = await running
    expect(result.code, result.stderr).toBe(6)
    // it stopped at the episode, not at --duration
    expect(Date.now() - stormStart).toBeLessThan(5000)
    expect(episodes(result.stdout)).toHaveLength(1)
    expect(result.stdout).toMatch(/1 episode\(s\)/)
  })

  it('slow commands on a node whose SLOWLOG is already full (LEN stuck at slowlog-max-len) are still an episode', async () => {
    const admin = connect(lab.seed)
    await admin.call('CONFIG', 'SET', 'slowlog-max-len', '2')
    await admin.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0')
    try {
      for (let i = 0; i < 5; i++) await admin.ping() // the log is full from here on
      const running = runCli(['watch', lab.seed, '--interval', '250ms', '--duration', '5s'])
      await sleep(2500)
      // a new connection: the lab's `timeout 2` closed the idle one meanwhile
      const traffic = connect(lab.seed)
      for (let i = 0; i < 400; i++) await traffic.ping()
      traffic.disconnect()
      const result = await running
      expect(result.code, result.stderr).toBe(0)
      expect(
        episodes(result.stdout).some((e) => /SLOWLOG entries\/s [\d.]+ \(normal [\d.]+\) on /.test(e.line)),
        result.stdout,
      ).toBe(true)
      expect(result.stdout).toContain('`rcdiag explain slow-commands`')
    } finally {
      admin.disconnect()
      const restore = connect(lab.seed)
      await restore.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000')
      await restore.call('CONFIG', 'SET', 'slowlog-max-len', '128')
      restore.disconnect()
    }
  })

  it('a user without INFO: one auth error naming what to grant (exit 4), not an endless outage', async () => {
    await setUserEverywhere(
      lab.state.nodes.map((n) => n.address),
      'watch-noinfo',
      'w-Pw',
      '~*',
      '&*',
      '+@all',
      '-info',
    )
    const result = await runCli([
      'watch',
      lab.seed,
      '--user',
      'watch-noinfo',
      '--password',
      'w-Pw',
      '--no-auth-warning',
      '--duration',
      '5s',
    ])
    expect(result.code).toBe(4)
    expect(result.ms).toBeLessThan(4000)
    expect(result.stderr.trim()).toMatch(
      /^rcdiag: 127\.0\.0\.1:\d+: INFO is refused \(NOPERM.*\): watch needs \+info \+latency\|latest \+slowlog\|get$/,
    )
  })

  it('a node that stops answering is an episode naming it; the watch goes on and ends in time', async () => {
    const victim = lab.state.nodes.find((n) => n.address !== lab.seed)!
    const running = runCli(['watch', lab.seed, '--interval', '250ms', '--duration', '5s', '--command-timeout', '500ms'])
    await sleep(1500)
    process.kill(victim.pid, 'SIGSTOP')
    await sleep(1500)
    process.kill(victim.pid, 'SIGCONT')
    const result = await running
    expect(result.code, result.stderr).toBe(0)
    expect(result.ms).toBeLessThan(5000 + 3000)
    const seen = episodes(result.stdout)
    expect(
      seen.some((e) => e.line.includes(`not answering on ${victim.address}`)),
      result.stdout,
    ).toBe(true)
    expect(result.stdout).toContain('`rcdiag explain node-blocked`')
  })
})
