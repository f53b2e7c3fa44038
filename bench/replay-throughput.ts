// Benchmark: `rcdiag replay --client ioredis` against `redis-benchmark --cluster` on the same cluster,
// the same hashes and the same HMGET, 20 concurrent, no gap; and whether the replay's memory stays
// flat as the operation count grows. Needs a build (npm run build; `npm run bench:replay` does both).
//
//   node --import tsx bench/replay-throughput.ts [--ops N] [--big-ops N] [--rounds N] [--json]   (see bench/README.md)
//
// In one run:
//   1. starts a throw-away 3-master lab (no replicas) with the same code as `rcdiag lab up`, on free
//      127.0.0.1 ports (never 6379), in a temp state dir; always stops it (also on Ctrl-C);
//   2. creates the hashes with redis-benchmark itself (HSET of 5 fields, 32-byte values, on the
//      key template redis-benchmark's HMGET will read), and checks they all exist;
//   3. --rounds times (default 3), interleaved: `rcdiag replay <seed> --client ioredis --concurrency 20
//      --cycles 0 --burst <ops/20> --fields 5 --keys-from 'rcdiag:bench:*' --json` (the warm-up burst
//      only: no idle gap), then `redis-benchmark --cluster -c 20 -n <ops> HMGET <key> f0 f1 f2 f3 f4`
//      (its default: one thread per master) and the same with `--threads 1` (for reference);
//   4. one replay of --big-ops operations (default 10^7; several minutes; progress on stderr);
//   5. prints a table and the three target ratios with PASS/FAIL: throughput >= 0.8x and p50 <= 1.5x
//      redis-benchmark's, peak RSS of the big run <= 1.2x the small runs'; and event-loop delay p99.
// Peak RSS of each child from GNU time (`/usr/bin/time -f %M`), else from polling /proc/<pid>/status
// VmHWM every 50 ms. Server-side counters (INFO commandstats/stats/cpu on every master) around each
// run prove both tools did the same work: HMGET calls on every master, keyspace hits, no misses.
// Exit 0 whatever the numbers; 1 if something broke (the lab did not start, a child failed, a run did
// not do the expected work); 130 on Ctrl-C.
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, readFileSync, readdirSync, rmSync} from 'node:fs'
import {cpus, loadavg} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'

import type {Redis as RedisClient} from 'ioredis'

import {
  childEnv as childEnvOf,
  errorMessage,
  f0,
  f1,
  f2,
  f3,
  flagValue as flagValueOf,
  labSession,
  loadLab,
  log,
  median,
  root,
  run,
} from './lib.js'
import {TOTAL_SLOTS} from '../src/lib/shared/constants.js'

const built = await loadLab()
let Redis: typeof RedisClient
try {
  ;({Redis} = await import('ioredis'))
} catch (error) {
  console.error(`bench: cannot load ioredis (${errorMessage(error)}); run \`npm ci\` first`)
  process.exit(2)
}

// ---- options -------------------------------------------------------------------------------
const argv = process.argv.slice(2)
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(`usage: node --import tsx bench/replay-throughput.ts [--ops N] [--big-ops N] [--rounds N] [--json]
  --ops N      HMGETs per small run, rcdiag and redis-benchmark alike (default 100000; env BENCH_OPS)
  --big-ops N  HMGETs of the one long replay for the RSS check (default 1e7, several minutes; 0 skips it; env BENCH_BIG_OPS)
  --rounds N   interleaved rounds of the small runs, medians reported (default 3; env BENCH_ROUNDS)
  --json       also print every number as JSON
See bench/README.md.`)
  process.exit(0)
}
const flagValue = (name: string) => flagValueOf(argv, name)
const CONCURRENCY = 20
const FIELDS = 5
const count = (name: string, fallback: number, min: number): number => {
  const raw = flagValue(name) ?? process.env[`BENCH_${name.slice(2).replace('-', '_').toUpperCase()}`] ?? fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || !Number.isInteger(n) || n < min) {
    console.error(`bench: ${name} must be an integer >= ${min} (got ${raw}; 1e6 is accepted)`)
    process.exit(2)
  }
  return n
}
// whole bursts: the replay runs --burst operations on each of the 20 workers
const roundOps = (n: number) => Math.ceil(n / CONCURRENCY) * CONCURRENCY
const OPS = roundOps(count('--ops', 100_000, CONCURRENCY))
const BIG_OPS = roundOps(count('--big-ops', 10_000_000, 0)) // 0: skip the big run
const ROUNDS = count('--rounds', 3, 1)
const JSON_OUT = argv.includes('--json')
const TARGET_THROUGHPUT = 0.8 // rcdiag ops/s / redis-benchmark requests/s, at least
const TARGET_P50 = 1.5 // rcdiag p50 / redis-benchmark p50, at most
const TARGET_RSS = 1.2 // peak RSS of the big run / the small runs', at most

const KEY_PREFIX = 'rcdiag:bench:'
const KEY_TEMPLATE = `${KEY_PREFIX}{tag}:__rand_int__` // redis-benchmark fills in {tag} and __rand_int__
const VALUE = 'x'.repeat(32) // what `rcdiag replay` puts in the hashes it creates
const FIELD_NAMES = Array.from({length: FIELDS}, (_, i) => `f${i}`)

const childEnv = childEnvOf()

const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined
const rbVersion = spawnSync('redis-benchmark', ['--version'], {encoding: 'utf8'})
if (rbVersion.error || rbVersion.status !== 0) {
  console.error('bench: redis-benchmark not found on PATH (it comes with redis-server, e.g. apt package redis-tools)')
  process.exit(2)
}
const REDIS_BENCHMARK_VERSION = rbVersion.stdout.trim()

// ---- the lab, always stopped, also on signals ------------------------------------------------
const clients: Array<{address: string; redis: RedisClient}> = [] // ioredis connections to the masters (server counters)
/** The running child: pid (GNU time wrapper or the process), target () => pid of the measured process. */
let current: {pid: number | undefined; target: () => number | undefined} | undefined
/** The measured process, not the GNU time wrapper (which ignores SIGINT while it waits). */
const signalChild = (signal: NodeJS.Signals) => {
  if (!current) return
  for (const pid of [current.target(), current.pid]) {
    try {
      if (pid) process.kill(pid, signal)
    } catch {
      // already gone
    }
  }
}
const session = labSession(built, {
  prefix: 'rcdiag-bench-replay-',
  onInterrupt: () => signalChild('SIGINT'),
  onEmergency: () => signalChild('SIGKILL'),
})
const {stateDir} = session
const checkInterrupted = () => session.checkInterrupted()

// ---- child processes: wall time, peak RSS, CPU --------------------------------------------------
/** The first child of `pid` (the process GNU time runs), from /proc; undefined if none (yet). */
function childOf(pid: number | undefined): number | undefined {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]
    if (first) return Number(first)
  } catch {
    // no such task (yet), or no children file on this kernel: scan /proc instead
  }
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) return Number(entry)
      } catch {
        // the process exited while we looked
      }
    }
  } catch {
    // no /proc: no child to find
  }
  return undefined
}
/** VmRSS and VmHWM (peak) of a live process, in kB; undefined once it is gone. */
interface Memory {
  rssKb: number
  hwmKb: number
}
function memoryOf(pid: number): Memory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (name: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1])
    return {rssKb: kb('VmRSS'), hwmKb: kb('VmHWM')}
  } catch {
    return undefined
  }
}

/**
 * Runs one command to completion. Peak RSS from GNU time when present (getrusage of the waited-for
 * child: exact), otherwise the last VmHWM read by polling every 50 ms before the process exited.
 * `onTick(info)` is called every `tickMs` while it runs (progress).
 */
interface TickInfo {
  elapsedMs: number
  mem: Memory | undefined
  hwmKb: number
}
/** One finished child: exit, wall time, peak and median RSS, CPU, output. */
interface Measured {
  status: number | null
  signal: NodeJS.Signals | null
  error: Error | undefined
  ms: number
  maxRssKb: number | undefined
  rssSource: string
  medianRssKb: number | undefined
  cpuS: number | undefined
  stdout: string
  stderr: string
}
function runMeasured(
  cmd: string,
  args: string[],
  {onTick, tickMs = 15_000}: {onTick?: (info: TickInfo) => void; tickMs?: number} = {},
): Promise<Measured> {
  return new Promise((resolve) => {
    const timeFile = join(stateDir, `time-${process.pid}-${Math.random().toString(36).slice(2)}.txt`)
    const [file, fileArgs]: [string, string[]] = GNU_TIME ? [GNU_TIME, ['-o', timeFile, '-f', '%M %U %S %e', cmd, ...args]] : [cmd, args]
    const t0 = performance.now()
    const child = spawn(file, fileArgs, {cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe']})
    let measuredPid = GNU_TIME ? undefined : child.pid
    const target = () => (measuredPid ??= childOf(child.pid))
    current = {pid: child.pid, target}
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    let hwmKb = 0
    let lastMem: Memory | undefined
    const rssSamples: number[] = [] // VmRSS after the first second (start-up), for the steady-state median
    const poll = setInterval(
      () => {
        const pid = target()
        const mem = pid ? memoryOf(pid) : undefined
        if (mem) {
          lastMem = mem
          hwmKb = Math.max(hwmKb, mem.hwmKb || 0)
          if (performance.now() - t0 >= 1000 && mem.rssKb) rssSamples.push(mem.rssKb)
        }
      },
      GNU_TIME ? 250 : 50,
    )
    const ticker = onTick ? setInterval(() => onTick({elapsedMs: performance.now() - t0, mem: lastMem, hwmKb}), tickMs) : undefined
    const finish = (status: number | null, signal: NodeJS.Signals | null, error?: Error) => {
      clearInterval(poll)
      if (ticker) clearInterval(ticker)
      current = undefined
      const ms = performance.now() - t0
      let maxRssKb = hwmKb || undefined
      let cpuS: number | undefined
      let rssSource = 'VmHWM polled every 50 ms'
      if (GNU_TIME) {
        try {
          // last line: "%M %U %S %e" (a "Command terminated by signal" line may come first)
          const line = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '' // never undefined: split gives >= 1 line
          const [m, u, s] = line.split(' ').map(Number)
          if (Number.isFinite(m)) {
            maxRssKb = m
            cpuS = u + s
            rssSource = 'GNU time %M'
          }
        } catch {
          // no readable time file: keep the polled VmHWM
        }
        rmSync(timeFile, {force: true})
      }
      resolve({
        status,
        signal,
        error,
        ms,
        maxRssKb,
        rssSource,
        medianRssKb: median(rssSamples),
        cpuS,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      })
    }
    child.on('error', (error) => finish(null, null, error))
    child.on('close', (status, signal) => finish(status, signal))
  })
}

// ---- server-side counters ------------------------------------------------------------------------
const infoField = (text: string, name: string) => {
  const m = text.match(new RegExp(`^${name}:([^\\r\\n]*)`, 'm'))
  return m ? m[1] : undefined
}
/** Per master: HMGET calls and usec, keyspace hits/misses, server CPU seconds. */
interface ServerCounters {
  address: string
  hmget: number
  hmgetUsec: number
  hits: number
  misses: number
  cpuS: number
}
/** The counters' growth over a run, per master and summed. */
interface CounterDelta {
  perMaster: ServerCounters[]
  hmget: number
  hmgetUsec: number
  hits: number
  misses: number
  cpuS: number
}
async function serverCounters(): Promise<ServerCounters[]> {
  return Promise.all(
    clients.map(async ({address, redis}) => {
      const [stats, commandstats, cpu] = await Promise.all([redis.info('stats'), redis.info('commandstats'), redis.info('cpu')])
      const hm = infoField(commandstats, 'cmdstat_hmget') ?? ''
      return {
        address,
        hmget: Number(hm.match(/calls=(\d+)/)?.[1] ?? 0),
        hmgetUsec: Number(hm.match(/usec=(\d+)/)?.[1] ?? 0),
        hits: Number(infoField(stats, 'keyspace_hits') ?? 0),
        misses: Number(infoField(stats, 'keyspace_misses') ?? 0),
        cpuS: Number(infoField(cpu, 'used_cpu_user') ?? 0) + Number(infoField(cpu, 'used_cpu_sys') ?? 0),
      }
    }),
  )
}
function counterDelta(before: ServerCounters[], after: ServerCounters[]): CounterDelta {
  const per = after.map((a, i): ServerCounters => ({
    address: a.address,
    hmget: a.hmget - before[i].hmget,
    hmgetUsec: a.hmgetUsec - before[i].hmgetUsec,
    hits: a.hits - before[i].hits,
    misses: a.misses - before[i].misses,
    cpuS: a.cpuS - before[i].cpuS,
  }))
  const sum = (k: Exclude<keyof ServerCounters, 'address'>) => per.reduce((s, p) => s + p[k], 0)
  return {perMaster: per, hmget: sum('hmget'), hmgetUsec: sum('hmgetUsec'), hits: sum('hits'), misses: sum('misses'), cpuS: sum('cpuS')}
}
const spread = (delta: CounterDelta) =>
  delta.perMaster.map((p) => (delta.hmget ? `${Math.round((100 * p.hmget) / delta.hmget)}%` : '-')).join('/')

// ---- the two workloads ---------------------------------------------------------------------------
const failures: string[] = []

/** The hashes both tools read (see createHashes). */
interface Keyspace {
  keys: number
  randomKeys: number
  tags: number
  mode: string
}

/** One measured run of either tool; the replay's own fields are absent for redis-benchmark. */
interface RunResult {
  label: string
  ops: number
  wallMs: number
  phaseMs?: number
  reportMs?: number
  rps: number
  meanMs: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  eventLoopDelayP99Ms?: number
  maxRssKb: number | undefined
  rssSource: string
  medianRssKb?: number | undefined
  cpuS: number | undefined
  server: CounterDelta
}

function redisBenchmarkArgs(seedPort: number, extra: string[], requests: number, randomKeys: number, command: string[]): string[] {
  return [
    '--cluster',
    ...extra,
    '-h',
    '127.0.0.1',
    '-p',
    String(seedPort),
    '-c',
    String(CONCURRENCY),
    '-n',
    String(requests),
    '-r',
    String(randomKeys),
    '--csv',
    ...command,
  ]
}

/** Parses redis-benchmark --csv: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms" */
function parseCsv(stdout: string): {rps: number; meanMs: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number} | undefined {
  const lines = stdout.split('\n').filter((l) => l.startsWith('"'))
  const header = lines.find((l) => l.startsWith('"test"'))
  const row = lines.find((l) => !l.startsWith('"test"'))
  if (!header || !row) return undefined
  const cells = (l: string) => [...l.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1])
  const h = cells(header)
  const v = cells(row)
  const get = (name: string) => Number(v[h.indexOf(name)])
  return {
    rps: get('rps'),
    meanMs: get('avg_latency_ms'),
    p50Ms: get('p50_latency_ms'),
    p95Ms: get('p95_latency_ms'),
    p99Ms: get('p99_latency_ms'),
    maxMs: get('max_latency_ms'),
  }
}

async function redisBenchmarkOnce(label: string, seedPort: number, extra: string[], keyspace: Keyspace): Promise<RunResult | undefined> {
  const before = await serverCounters()
  const r = await runMeasured(
    'redis-benchmark',
    redisBenchmarkArgs(seedPort, extra, OPS, keyspace.randomKeys, ['HMGET', KEY_TEMPLATE, ...FIELD_NAMES]),
  )
  checkInterrupted()
  const server = counterDelta(before, await serverCounters())
  const csv = r.status === 0 ? parseCsv(r.stdout) : undefined
  const problem = r.error
    ? `spawn failed: ${r.error.message}`
    : r.status !== 0
      ? `exit ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`
      : !csv || !(csv.rps > 0)
        ? 'no CSV result line'
        : server.hmget < OPS || server.perMaster.some((p) => p.hmget === 0)
          ? `servers saw ${server.hmget} HMGETs (${spread(server)}), expected ${OPS} spread over every master`
          : undefined
  if (problem || !csv) {
    failures.push(`${label}: ${problem}`)
    return undefined
  }
  return {
    label,
    ops: OPS,
    wallMs: r.ms,
    rps: csv.rps,
    meanMs: csv.meanMs,
    p50Ms: csv.p50Ms,
    p99Ms: csv.p99Ms,
    maxMs: csv.maxMs,
    maxRssKb: r.maxRssKb,
    rssSource: r.rssSource,
    cpuS: r.cpuS,
    server,
  }
}

/** The part of `rcdiag replay --json`'s report read here. */
interface ReplayPhase {
  name: string
  ops: number
  errors: number
  durationMs: number
  latencyMs: {mean: number; p50: number; p99: number; max: number}
  eventLoopDelayP99Ms: number
}
interface ReplayReport {
  durationMs: number
  keys?: {count: number}
  runs?: Array<{phases?: ReplayPhase[]}>
}

async function replayOnce(
  label: string,
  seed: string,
  ops: number,
  keyspace: Keyspace,
  {progress = false, expectedRps}: {progress?: boolean; expectedRps?: number | undefined} = {},
): Promise<RunResult | undefined> {
  const args = [
    run,
    'replay',
    seed,
    '--client',
    'ioredis',
    '--concurrency',
    String(CONCURRENCY),
    '--cycles',
    '0',
    '--burst',
    String(ops / CONCURRENCY),
    '--fields',
    String(FIELDS),
    '--keys-from',
    `${KEY_PREFIX}*`,
    '--keys',
    String(keyspace.keys),
    '--json',
  ]
  const before = await serverCounters()
  let lastOps = 0
  let lastT = 0
  const onTick = progress
    ? async ({elapsedMs, mem, hwmKb}: TickInfo) => {
        try {
          const done = counterDelta(before, await serverCounters()).hmget
          const rate = ((done - lastOps) * 1000) / (elapsedMs - lastT || 1)
          lastOps = done
          lastT = elapsedMs
          const left = rate > 0 ? (ops - done) / rate : (ops - done) / (expectedRps || 1)
          log(
            `bench:   ${(elapsedMs / 1000).toFixed(0)} s: ${done.toLocaleString('en-US')} / ${ops.toLocaleString('en-US')} HMGETs (${((100 * done) / ops).toFixed(1)} %),` +
              ` ${rate.toFixed(0)}/s now, ~${Math.max(0, left / 60).toFixed(1)} min left;` +
              ` replay RSS ${mem ? (mem.rssKb / 1024).toFixed(0) : '-'} MB, peak ${hwmKb ? (hwmKb / 1024).toFixed(0) : '-'} MB`,
          )
        } catch {
          // progress only: a failed counter read skips this tick
        }
      }
    : undefined
  const r = await runMeasured(process.execPath, args, {onTick, tickMs: 15_000})
  checkInterrupted()
  const server = counterDelta(before, await serverCounters())
  let report: ReplayReport | undefined
  try {
    report = JSON.parse(r.stdout)
  } catch {
    // not JSON: reported as a failure below (no report)
  }
  const phase = report?.runs?.[0]?.phases?.find((p) => p.name === 'warmup')
  const problem = r.error
    ? `spawn failed: ${r.error.message}`
    : r.status !== 0
      ? `exit ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`
      : !phase
        ? 'no warm-up phase in the JSON report'
        : phase.ops !== ops || phase.errors > 0
          ? `warm-up phase: ${phase.ops} ops, ${phase.errors} errors (expected ${ops}, 0)`
          : report?.keys?.count !== keyspace.keys // (report is there: phase is)
            ? `replayed ${report?.keys?.count} keys, expected ${keyspace.keys}`
            : server.perMaster.some((p) => p.hmget === 0)
              ? `HMGETs not on every master (${spread(server)})`
              : undefined
  if (problem || !phase || !report) {
    failures.push(`${label}: ${problem}`)
    return undefined
  }
  return {
    label,
    ops,
    wallMs: r.ms,
    phaseMs: phase.durationMs,
    reportMs: report.durationMs,
    rps: (phase.ops * 1000) / phase.durationMs,
    meanMs: phase.latencyMs.mean,
    p50Ms: phase.latencyMs.p50,
    p99Ms: phase.latencyMs.p99,
    maxMs: phase.latencyMs.max,
    eventLoopDelayP99Ms: phase.eventLoopDelayP99Ms,
    maxRssKb: r.maxRssKb,
    rssSource: r.rssSource,
    medianRssKb: r.medianRssKb,
    cpuS: r.cpuS,
    server,
  }
}

// ---- the hashes --------------------------------------------------------------------------------
/** Distinct hash tags and the number of keys under KEY_PREFIX on every master. */
async function keysOnMasters(): Promise<{total: number; tags: Set<string | undefined>}> {
  const tags = new Set<string | undefined>()
  let total = 0
  for (const {redis} of clients) {
    total += await redis.dbsize() // the lab holds nothing else
    const [, sample] = await redis.scan('0', 'MATCH', `${KEY_PREFIX}*`, 'COUNT', '1000')
    for (const key of sample) tags.add(key.slice(KEY_PREFIX.length).match(/^\{([^}]*)\}/)?.[1])
  }
  return {total, tags}
}

/**
 * Creates the hashes with redis-benchmark's own HSET on the key template its HMGET will use, so the
 * keys it reads are exactly the keys that exist. redis-benchmark 7.0 puts the tag of the *first*
 * slot of the client's master in {tag} on every request (seen here with 7.0.15: slots 0, 5461 and
 * 10922 only; redis/redis#12986, merged in 2024, makes it a random slot of that master): with
 * `-r 1000` that is 1000 keys per master, all in one slot. With a redis-benchmark that varies the tag
 * that would be 16384 x 1000 keys, so it falls back to `-r 1`: one key per slot.
 */
async function createHashes(seedPort: number): Promise<Keyspace> {
  const hset = ['HSET', KEY_TEMPLATE, ...FIELD_NAMES.flatMap((f) => [f, VALUE])]
  const fill = async (randomKeys: number, requests: number) => {
    const r = await runMeasured('redis-benchmark', [
      '--cluster',
      '-h',
      '127.0.0.1',
      '-p',
      String(seedPort),
      '-c',
      String(CONCURRENCY),
      '-n',
      String(requests),
      '-r',
      String(randomKeys),
      '-q',
      ...hset,
    ])
    checkInterrupted()
    if (r.status !== 0)
      throw new Error(`redis-benchmark HSET failed (exit ${r.status ?? r.signal}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`)
  }
  const masters = clients.length
  let randomKeys = 1000
  // ~20 requests per key: the chance that one of them is never written is ~e^-20 per key
  await fill(randomKeys, 20 * randomKeys * masters)
  let seen = await keysOnMasters()
  let expected = randomKeys * masters
  let mode = 'the first slot of each master'
  if (seen.tags.size > masters) {
    log(`bench:   redis-benchmark spreads {tag} over many slots (${seen.tags.size} tags seen): one key per slot instead`)
    await Promise.all(clients.map(({redis}) => redis.flushall())) // our own throw-away lab
    randomKeys = 1
    expected = TOTAL_SLOTS
    mode = 'a random slot of the master (redis/redis#12986)'
    for (let round = 0; round < 4 && seen.total < expected; round++) {
      await fill(randomKeys, 16 * TOTAL_SLOTS)
      seen = await keysOnMasters()
    }
  }
  for (let round = 0; round < 3 && seen.total < expected; round++) {
    await fill(randomKeys, 20 * expected)
    seen = await keysOnMasters()
  }
  if (seen.total !== expected) failures.push(`creating the hashes: ${seen.total} keys exist, expected ${expected}`)
  return {keys: seen.total, randomKeys, tags: seen.tags.size, mode}
}

// ---- helpers for the report ----------------------------------------------------------------------
const mb = (kb: number | undefined) => (kb === undefined ? undefined : kb / 1024)
const human = (n: number) => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n))

/** The fields of a run that are numbers (or absent). */
type NumericKey = {[K in keyof RunResult]-?: RunResult[K] extends number | undefined ? K : never}[keyof RunResult]

/** Median of each numeric field over rounds (server counters: those of the median-throughput round). */
function summarizeRuns(runs: RunResult[]) {
  if (runs.length === 0) return undefined
  const pick = (k: NumericKey) => median(runs.map((r) => r[k]))
  const byRps = [...runs].sort((a, b) => a.rps - b.rps)[runs.length >> 1]
  return {
    label: runs[0].label,
    runs: runs.length,
    ops: runs[0].ops,
    wallMs: pick('wallMs'),
    phaseMs: pick('phaseMs'),
    rps: pick('rps'),
    rpsMin: Math.min(...runs.map((r) => r.rps)),
    rpsMax: Math.max(...runs.map((r) => r.rps)),
    meanMs: pick('meanMs'),
    p50Ms: pick('p50Ms'),
    p99Ms: pick('p99Ms'),
    maxMs: pick('maxMs'),
    eventLoopDelayP99Ms: pick('eventLoopDelayP99Ms'),
    maxRssKb: pick('maxRssKb'),
    medianRssKb: pick('medianRssKb'),
    rssSource: runs[0].rssSource,
    cpuS: pick('cpuS'),
    server: byRps.server,
    samples: runs.map(({server: _s, label: _l, ...rest}) => rest),
  }
}

type Summary = NonNullable<ReturnType<typeof summarizeRuns>>

// ---- main ----------------------------------------------------------------------------------
let exitCode = 0
try {
  if (!GNU_TIME) log('bench: /usr/bin/time not found (apt package `time`): peak RSS from polling /proc/<pid>/status VmHWM every 50 ms')
  log(`bench: state dir ${stateDir}`)
  const t0 = performance.now()
  log('bench: starting a 3-master lab (no replicas)...')
  const state = await session.start({masters: 3, replicas: 0, name: `bench-replay-${process.pid}`})
  if (state.nodes.some((n) => n.host !== '127.0.0.1' || n.port === 6379)) throw new Error('lab on an unexpected address')
  log(`bench:   up in ${((performance.now() - t0) / 1000).toFixed(1)} s, seed ${state.seed}`)
  const seedPort = Number(state.seed.split(':').pop())
  for (const node of state.nodes.filter((n) => n.role === 'master')) {
    const redis = new Redis({
      host: node.host,
      port: node.port,
      password: state.password,
      lazyConnect: true,
      enableReadyCheck: false,
      maxRetriesPerRequest: 1,
      connectionName: 'rcdiag-bench',
    })
    redis.on('error', () => {})
    await redis.connect()
    clients.push({address: node.address, redis})
  }

  log('bench: creating the hashes with redis-benchmark HSET...')
  const keyspace = await createHashes(seedPort)
  log(`bench:   ${keyspace.keys} hashes of ${FIELDS} fields (${keyspace.tags} hash tags; {tag} = ${keyspace.mode})`)
  checkInterrupted()

  const load0 = loadavg()
  const small: {replay: RunResult[]; rb: RunResult[]; rb1: RunResult[]} = {replay: [], rb: [], rb1: []}
  log(`bench: ${ROUNDS} round(s) of: rcdiag replay, redis-benchmark, redis-benchmark --threads 1; ${human(OPS)} HMGETs each...`)
  for (let i = 0; i < ROUNDS; i++) {
    const a = await replayOnce(`rcdiag replay ${human(OPS)}`, state.seed, OPS, keyspace)
    if (a) small.replay.push(a)
    const b = await redisBenchmarkOnce(`redis-benchmark ${human(OPS)}`, seedPort, [], keyspace)
    if (b) small.rb.push(b)
    const c = await redisBenchmarkOnce(`redis-benchmark --threads 1 ${human(OPS)}`, seedPort, ['--threads', '1'], keyspace)
    if (c) small.rb1.push(c)
    log(
      `bench:   round ${i + 1}/${ROUNDS}: rcdiag ${f0(a?.rps)} ops/s p50 ${f3(a?.p50Ms)} ms; redis-benchmark ${f0(b?.rps)} req/s p50 ${f3(b?.p50Ms)} ms;` +
        ` --threads 1: ${f0(c?.rps)} req/s p50 ${f3(c?.p50Ms)} ms`,
    )
  }
  const replaySmall = summarizeRuns(small.replay)
  const rb = summarizeRuns(small.rb)
  const rb1 = summarizeRuns(small.rb1)

  // (a median is undefined only if every sample was NaN; `?? NaN` below is what undefined gives in arithmetic)
  let big: Summary | undefined
  if (BIG_OPS > 0) {
    const expectedS = replaySmall ? BIG_OPS / (replaySmall.rps ?? NaN) + 5 : undefined
    log(
      `bench: one rcdiag replay of ${human(BIG_OPS)} HMGETs (RSS growth check); at ${f0(replaySmall?.rps)} ops/s expect ~${expectedS ? (expectedS / 60).toFixed(1) : '?'} min;` +
        ' progress every 15 s (HMGET count from the servers)...',
    )
    const r = await replayOnce(`rcdiag replay ${human(BIG_OPS)}`, state.seed, BIG_OPS, keyspace, {
      progress: true,
      expectedRps: replaySmall?.rps,
    })
    if (r) big = summarizeRuns([r])
  }
  const load1 = loadavg()

  // ---- report ------------------------------------------------------------------------------
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? a / b : undefined)
  const throughputRatio = ratio(replaySmall?.rps, rb?.rps)
  const p50Ratio = ratio(replaySmall?.p50Ms, rb?.p50Ms)
  const rssRatio = ratio(big?.maxRssKb, replaySmall?.maxRssKb)
  const throughputRatio1 = ratio(replaySmall?.rps, rb1?.rps)
  const p50Ratio1 = ratio(replaySmall?.p50Ms, rb1?.p50Ms)
  const verdict = (value: number | undefined, ok: (v: number) => boolean) => (value === undefined ? 'n/a ' : ok(value) ? 'PASS' : 'FAIL')

  const rows = [replaySmall, rb, rb1, big].filter((s): s is Summary => Boolean(s))
  const header = [
    'run',
    'runs',
    'ops/s (min-max)',
    'mean ms',
    'p50 ms',
    'p99 ms',
    'max ms',
    'EL p99 ms',
    'peak RSS MB',
    'median RSS MB',
    'cpu s',
    'cpu us/op',
    'srv us/op',
    'HMGET per master',
    'misses',
  ]
  const body = rows.map((s) => [
    s.label,
    String(s.runs),
    `${f0(s.rps)}${s.runs > 1 ? ` (${f0(s.rpsMin)}-${f0(s.rpsMax)})` : ''}`,
    f3(s.meanMs),
    f3(s.p50Ms),
    f3(s.p99Ms),
    f1(s.maxMs),
    s.eventLoopDelayP99Ms === undefined ? '' : f2(s.eventLoopDelayP99Ms),
    f1(mb(s.maxRssKb)),
    s.medianRssKb === undefined ? '' : f1(mb(s.medianRssKb)),
    f2(s.cpuS),
    s.cpuS === undefined ? '-' : f1((s.cpuS * 1e6) / s.ops),
    f1((s.server.cpuS * 1e6) / s.server.hmget),
    spread(s.server),
    String(s.server.misses),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')

  const out = []
  out.push('')
  out.push(
    `rcdiag replay throughput benchmark: node ${process.version}, ${cpus().length} CPU(s), redis ${state.redisVersion}, ${REDIS_BENCHMARK_VERSION}, 3 masters (seed ${state.seed})`,
  )
  out.push(
    `workload: HMGET of ${FIELDS} fields, ${CONCURRENCY} concurrent, no gap, on ${keyspace.keys} existing hashes (${keyspace.tags} slots); ${ROUNDS} round(s) of ${human(OPS)}${big ? `, one run of ${human(BIG_OPS)}` : ''}`,
  )
  out.push(
    `background: load average ${f2(load0[0])} before / ${f2(load1[0])} after (1 min), ${f2(load1[1])} (5 min), on ${cpus().length} CPU(s)`,
  )
  if (Math.max(load0[0], load1[0]) > cpus().length)
    out.push('WARNING: the machine is busy (load > CPUs): throughput and latency are noisy; the ratios come from interleaved runs')
  out.push('')
  out.push(line(header))
  out.push(line(widths.map((w) => '-'.repeat(w))))
  for (const r of body) out.push(line(r))
  out.push('')
  out.push(
    'ops/s: rcdiag = warm-up phase ops / its durationMs (the burst only, not start-up); redis-benchmark = its requests/s. Medians over rounds.',
  )
  out.push(
    'mean/p50/p99/max: rcdiag from its HDR histogram (call to resolved promise), redis-benchmark from its CSV (write to first byte of the reply).',
  )
  out.push("EL p99: the report's eventLoopDelayP99Ms, net of the monitor's own 10 ms sampling interval (an idle loop reads ~0-0.7 ms).")
  out.push(
    `peak RSS: whole process (${rows[0]?.rssSource ?? '-'}); median RSS: rcdiag's VmRSS sampled every ${GNU_TIME ? 250 : 50} ms after its first second; cpu: user+sys of the whole process (start-up included); srv us/op: the 3 servers' CPU per HMGET.`,
  )
  out.push(
    'HMGET per master / misses: from INFO commandstats and keyspace_misses on every master around the run (0 misses: every HMGET read an existing hash).',
  )
  out.push('')
  out.push(
    `[${verdict(throughputRatio, (v) => v >= TARGET_THROUGHPUT)}] throughput rcdiag / redis-benchmark = ${f2(throughputRatio)}x   (target >= ${TARGET_THROUGHPUT}x)`,
  )
  out.push(
    `[${verdict(p50Ratio, (v) => v <= TARGET_P50)}] p50 rcdiag / redis-benchmark        = ${f2(p50Ratio)}x   (target <= ${TARGET_P50}x)`,
  )
  if (BIG_OPS > 0) {
    out.push(
      `[${verdict(rssRatio, (v) => v <= TARGET_RSS)}] peak RSS ${human(BIG_OPS)} / ${human(OPS)} ops            = ${f2(rssRatio)}x   (target <= ${TARGET_RSS}x)` +
        (big ? ` (${f1(mb(big.maxRssKb))} / ${f1(mb(replaySmall?.maxRssKb))} MB)` : ' (the big run failed)'),
    )
    if (big)
      out.push(
        `[info] median RSS during the run ${human(BIG_OPS)} / ${human(OPS)} ops = ${f2(ratio(big.medianRssKb, replaySmall?.medianRssKb))}x (${f1(mb(big.medianRssKb))} / ${f1(mb(replaySmall?.medianRssKb))} MB)`,
      )
  } else out.push(`[n/a ] peak RSS: the big run was skipped (--big-ops 0)   (target <= ${TARGET_RSS}x)`)
  out.push(
    `[info] event-loop delay p99 (eventLoopDelayP99Ms): ${f2(replaySmall?.eventLoopDelayP99Ms)} ms (${human(OPS)} ops)` +
      (BIG_OPS > 0 ? `, ${f2(big?.eventLoopDelayP99Ms)} ms (${human(BIG_OPS)} ops)` : ''),
  )
  out.push(
    `[info] against redis-benchmark --threads 1 (one event loop, like Node): throughput ${f2(throughputRatio1)}x, p50 ${f2(p50Ratio1)}x`,
  )
  if (replaySmall && rb) {
    // closed loop: CONCURRENCY requests always in flight, so mean latency = CONCURRENCY / throughput (Little's law)
    out.push(
      `[info] Little's law, ${CONCURRENCY} in flight: ${CONCURRENCY} / throughput = ${f3((CONCURRENCY * 1000) / (replaySmall.rps ?? NaN))} ms (rcdiag), ${f3((CONCURRENCY * 1000) / (rb.rps ?? NaN))} ms (redis-benchmark);` +
        ` mean ratio ${f2(ratio(replaySmall.meanMs, rb.meanMs))}x`,
    )
  }
  if (big && replaySmall)
    out.push(
      `[info] throughput ${human(BIG_OPS)} run: ${f0(big.rps)} ops/s (${f2((big.rps ?? NaN) / (replaySmall.rps ?? NaN))}x the ${human(OPS)} runs)`,
    )
  if (failures.length) {
    out.push('')
    out.push(`FAILURES (${failures.length}):`)
    for (const f of failures) out.push(`  ${f}`)
  }
  console.log(out.join('\n'))

  if (JSON_OUT) {
    console.log(
      JSON.stringify(
        {
          node: process.version,
          redisVersion: state.redisVersion,
          redisBenchmark: REDIS_BENCHMARK_VERSION,
          cpus: cpus().length,
          ops: OPS,
          bigOps: BIG_OPS,
          rounds: ROUNDS,
          keyspace,
          background: {loadBefore: load0, loadAfter: load1},
          runs: {replay: replaySmall, redisBenchmark: rb, redisBenchmarkThreads1: rb1, replayBig: big},
          ratios: {
            throughput: {
              value: throughputRatio,
              target: TARGET_THROUGHPUT,
              pass: throughputRatio !== undefined && throughputRatio >= TARGET_THROUGHPUT,
            },
            p50: {value: p50Ratio, target: TARGET_P50, pass: p50Ratio !== undefined && p50Ratio <= TARGET_P50},
            rss: {value: rssRatio, target: TARGET_RSS, pass: rssRatio !== undefined && rssRatio <= TARGET_RSS},
            medianRss: ratio(big?.medianRssKb, replaySmall?.medianRssKb),
            throughputThreads1: throughputRatio1,
            p50Threads1: p50Ratio1,
          },
          eventLoopDelayP99Ms: {small: replaySmall?.eventLoopDelayP99Ms, big: big?.eventLoopDelayP99Ms},
          failures,
        },
        null,
        2,
      ),
    )
  }
  if (failures.length) exitCode = 1
} catch (error) {
  console.error(
    `bench: ${session.interrupted ? 'interrupted' : `failed: ${error instanceof Error ? (error.stack ?? error.message) : errorMessage(error)}`}`,
  )
  exitCode = session.interrupted ? 130 : 1
} finally {
  for (const {redis} of clients.splice(0)) redis.disconnect()
  if (!(await session.stopAll())) exitCode ||= 1
  log('bench: lab stopped')
}
if (session.interrupted) exitCode = 130
process.exitCode = exitCode
