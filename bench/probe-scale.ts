// Benchmark: how `rcdiag probe` scales from a 6-node to a 48-node cluster, and how much of its
// wall time is process startup. Needs a build (npm run build; `npm run bench` does both).
//
//   node --import tsx bench/probe-scale.ts [--runs N] [--json] [--no-phases]      (see bench/README.md)
//
// Starts two throw-away lab clusters (3+3 and 24+24 nodes) on free 127.0.0.1 ports, in a temp
// state dir, with the same code as `rcdiag lab up`; times whole-process runs of
//   node -e 0                              (the floor: a bare Node start)
//   node bin/run.js --version              (oclif bootstrap, no command loaded)
//   node bin/run.js probe <seed> --json    (6 and 48 nodes)
//   redis-cli --cluster check <seed>       (6 and 48 nodes, for comparison; skipped if missing)
// runs interleaved (one of each per round, after one untimed warm-up round), and prints medians,
// minimums, CPU times, the probe's own in-process durationMs, the two target ratios with PASS/FAIL,
// and a breakdown of the 6-node probe's start-up (module loading step by step).
// Exit 0 whatever the numbers; non-zero only if something broke (a lab did not start, a probe
// failed or did not see every node). Both labs are always stopped (also on Ctrl-C).
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {cpus, loadavg} from 'node:os'
import {performance} from 'node:perf_hooks'
import {stripVTControlCharacters} from 'node:util'

import {
  childEnv,
  errorMessage,
  f0,
  f1,
  f2,
  flagValue as flagValueOf,
  type LabState,
  labSession,
  loadLab,
  log,
  median,
  root,
  run,
} from './lib.js'

const built = await loadLab()

// ---- options -------------------------------------------------------------------------------
const argv = process.argv.slice(2)
const flagValue = (name: string) => flagValueOf(argv, name)
const RUNS = Number(flagValue('--runs') ?? process.env.BENCH_RUNS ?? 7)
const JSON_OUT = argv.includes('--json')
const PHASES = !argv.includes('--no-phases')
const PHASE_RUNS = 5
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error('bench: --runs must be a positive integer')
  process.exit(2)
}
const TARGET_STARTUP = 2.5 // probe(6 nodes) / node -e 0
const TARGET_SCALE = 1.3 // probe(48 nodes) / probe(6 nodes)

const childEnvironment = childEnv()

// ---- labs, always stopped, also on signals ---------------------------------------------------
const session = labSession(built, {prefix: 'rcdiag-bench-'})
const {stateDir} = session
const checkInterrupted = () => session.checkInterrupted()

// ---- timing helpers ------------------------------------------------------------------------
/**
 * CPU time (user + system, ms) of this process's waited-for children, from /proc/self/stat
 * (cutime + cstime, in USER_HZ = 100 ticks/s on Linux): the child's own CPU use, which the other
 * processes on a busy machine do not inflate the way they inflate wall time. undefined elsewhere.
 */
function childrenCpuMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
    return (Number(fields[13]) + Number(fields[14])) * 10
  } catch {
    return undefined
  }
}
/** One finished child: wall and CPU time, exit, output. */
interface Timed {
  ms: number
  cpuMs: number | undefined
  status: number | null
  signal: NodeJS.Signals | null
  error: Error | undefined
  stdout: string
  stderr: string
}
function timed(cmd: string, args: string[]): Timed {
  const c0 = childrenCpuMs()
  const t0 = performance.now()
  const r = spawnSync(cmd, args, {env: childEnvironment, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, cwd: root})
  const ms = performance.now() - t0
  const c1 = childrenCpuMs()
  checkInterrupted()
  const cpuMs = c0 === undefined || c1 === undefined ? undefined : c1 - c0
  return {ms, cpuMs, status: r.status, signal: r.signal, error: r.error, stdout: r.stdout ?? '', stderr: r.stderr ?? ''}
}

/** CPU used by a lab's idle redis-servers (cluster bus gossip), in % of one core, over `ms`. */
async function labIdleCpu(state: LabState, ms = 2000): Promise<number | undefined> {
  const ticks = () =>
    state.nodes.reduce((sum, n) => {
      const f = readFileSync(`/proc/${n.pid}/stat`, 'utf8').split(') ')[1].split(' ')
      return sum + Number(f[11]) + Number(f[12])
    }, 0)
  try {
    const a = ticks()
    await new Promise((resolve) => setTimeout(resolve, ms))
    return ((ticks() - a) * 10 * 100) / ms
  } catch {
    return undefined
  }
}
const min = (xs: number[]) => Math.min(...xs)

// ---- the measured things -------------------------------------------------------------------
const failures: string[] = []

/** What one timed command gives the table (a `Timed` is one too). */
interface Measurement {
  ms: number
  cpuMs?: number | undefined
  /** The probe report's own durationMs. */
  durationMs?: number
  note?: string | undefined
  ok?: boolean
}

/** The part of `rcdiag probe --json`'s report read here. */
interface ProbeReport {
  nodes: Array<{reachable: boolean}>
  durationMs: number
}

function hasRedisCli(): string | undefined {
  const r = spawnSync('redis-cli', ['--version'], {encoding: 'utf8'})
  return !r.error && r.status === 0 ? r.stdout.trim() : undefined
}

/** One probe run; returns {ms, durationMs} or records a failure. */
function probeOnce(state: LabState, expected: number): Measurement | undefined {
  const r = timed(process.execPath, [run, 'probe', state.seed, '--json'])
  let report: ProbeReport | undefined
  try {
    report = JSON.parse(r.stdout)
  } catch {
    // not JSON: reported as a failure below (no report)
  }
  const reachable = report?.nodes?.filter((n) => n.reachable).length
  const problem = r.error
    ? `spawn failed: ${r.error.message}`
    : r.status !== 0
      ? `exit ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`
      : !report
        ? 'stdout is not JSON'
        : report.nodes.length !== expected || reachable !== expected
          ? `reported ${reachable}/${report.nodes.length} reachable nodes, expected ${expected}/${expected}`
          : undefined
  if (problem || !report) {
    failures.push(`probe ${expected} nodes (${state.seed}): ${problem}`)
    return undefined
  }
  return {ms: r.ms, cpuMs: r.cpuMs, durationMs: report.durationMs}
}

function clusterCheckOnce(state: LabState, expected: number): Measurement {
  const r = timed('redis-cli', ['--cluster', 'check', state.seed])
  // redis-cli exits 1 on [ERR] (e.g. nodes not agreeing yet): still a timing, but note it
  const text = stripVTControlCharacters(r.stdout) // it colours its output even into a pipe
  const ok = !r.error && r.status === 0 && text.includes('[OK] All 16384 slots covered')
  const seen = (text.match(/^[MS]: /gm) ?? []).length
  return {ms: r.ms, cpuMs: r.cpuMs, ok, note: ok ? (seen === expected ? undefined : `listed ${seen} nodes`) : `exit ${r.status}`}
}

// ---- where the whole-process time goes ---------------------------------------------------------
// A child that does what bin/run.js does (oclif execute = import @oclif/core, Config.load, run the
// command), but imports the command's heavy dependencies one at a time first, with a timestamp after
// each step. Each step's cost is what that step adds given the steps before it (shared sub-
// dependencies are charged to whoever loads them first), so the order follows the real one: oclif
// first, then the command module's imports. stdout is the probe's JSON, the marks go to stderr.
const PHASE_SCRIPT = `
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
const [root, seed] = process.argv.slice(1)
const marks = [['node start (until the first line of the CLI runs)', performance.now()]]
const mark = (name) => marks.push([name, performance.now()])
const {Config, run, flush} = await import('@oclif/core')
mark('import @oclif/core')
const config = await Config.load({root})
mark('oclif Config.load (package.json, manifest, plugins)')
await import('ioredis')
mark('import ioredis')
await import('ora')
mark('import ora (spinner; silent under --json)')
await import('cli-table3')
mark('import cli-table3 (tables; unused under --json)')
await import(pathToFileURL(join(root, 'dist/commands/probe.js')).href)
mark('import the rest of dist/commands/probe.js (rcdiag code, p-limit, ms)')
await run(['probe', seed, '--json'], config)
mark('run: flag parsing + probe() + JSON output')
await flush()
process.on('exit', () => {
  mark('flush + until exit')
  process.stderr.write('\\n@@phases ' + JSON.stringify(marks) + '\\n')
})
`

/** One instrumented start-up: [step name, ms] in order, and the child's wall time. */
interface PhaseRun {
  steps: Array<[string, number]>
  wallMs: number
}
function phasesOnce(state: LabState): PhaseRun | undefined {
  const r = timed(process.execPath, ['--input-type=module', '-e', PHASE_SCRIPT, '--', root, state.seed])
  const line = r.stderr.split('\n').find((l) => l.startsWith('@@phases '))
  let durationMs: number | undefined
  try {
    durationMs = (JSON.parse(r.stdout) as Partial<ProbeReport>).durationMs
  } catch {
    // not JSON: reported as a failure below (no durationMs)
  }
  if (r.status !== 0 || !line || durationMs === undefined) {
    failures.push(`phase breakdown run: exit ${r.status}: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`)
    return undefined
  }
  const marks = JSON.parse(line.slice('@@phases '.length)) as Array<[string, number]>
  const steps: Array<[string, number]> = []
  let prev = 0
  for (const [name, t] of marks) {
    if (name.startsWith('run:')) {
      // split the command run into the probe itself (its durationMs) and oclif's part around it
      steps.push(["  probe() in-process (the report's durationMs)", durationMs])
      steps.push(['  oclif around it: flag parsing, JSON output', t - prev - durationMs])
    } else steps.push([name, t - prev])
    prev = t
  }
  steps.push(['process exit + spawn overhead (wall - the above)', r.ms - prev])
  return {steps, wallMs: r.ms}
}

// ---- main ----------------------------------------------------------------------------------
/** The samples of one command over the timed rounds. */
interface Row {
  ms: number[]
  cpuMs: number[]
  durationMs: number[]
  notes: Set<string>
}
const rows = new Map<string, Row>() // label -> samples
const row = (label: string): Row => {
  let r = rows.get(label)
  if (!r) rows.set(label, (r = {ms: [], cpuMs: [], durationMs: [], notes: new Set()}))
  return r
}

/** One command's numbers in the report (and the JSON). */
interface Stat {
  runs: number
  medianMs: number
  minMs: number
  maxMs: number
  cpuMedianMs: number | undefined
  probeMedianMs: number | undefined
  probeMinMs: number | undefined
  notes: string[]
  samplesMs: number[]
}

let exitCode = 0
let redisCli: string | undefined
let results: unknown
try {
  const name = `bench-${process.pid}`
  log(`bench: state dir ${stateDir}`)
  for (const [masters, label] of [
    [3, '6'],
    [24, '48'],
  ] as const) {
    checkInterrupted()
    const t0 = performance.now()
    log(`bench: starting a ${label}-node lab (${masters} masters + ${masters} replicas)...`)
    const state = await session.start({masters, replicas: 1, name: `${name}-${label}`})
    if (state.nodes.some((n) => n.host !== '127.0.0.1' || n.port === 6379)) throw new Error('lab on an unexpected address')
    log(`bench:   up in ${((performance.now() - t0) / 1000).toFixed(1)} s, seed ${state.seed}`)
  }
  const [lab6, lab48] = session.labs

  const idle = [await labIdleCpu(lab6), await labIdleCpu(lab48)]
  const load0 = loadavg()[0]
  redisCli = hasRedisCli()
  if (!redisCli) log('bench: redis-cli not found on PATH: skipping the redis-cli --cluster check comparison')

  type Case = [label: string, measure: () => Measurement | undefined]
  const redisCliCases: Case[] = redisCli
    ? [
        ['redis-cli check 6', () => clusterCheckOnce(lab6, 6)],
        ['redis-cli check 48', () => clusterCheckOnce(lab48, 48)],
      ]
    : []
  const cases: Case[] = [
    ['node -e 0', () => timed(process.execPath, ['-e', '0'])],
    [
      'rcdiag --version',
      () => {
        const r = timed(process.execPath, [run, '--version'])
        if (r.status !== 0) failures.push(`rcdiag --version: exit ${r.status}`)
        return r
      },
    ],
    ['probe 6 nodes', () => probeOnce(lab6, 6)],
    ['probe 48 nodes', () => probeOnce(lab48, 48)],
    ...redisCliCases,
  ]

  // one untimed warm-up round (page cache, first-connection effects), then RUNS interleaved rounds
  log(`bench: warm-up round, then ${RUNS} timed rounds of ${cases.length} commands each...`)
  for (const [, fn] of cases) fn()
  failures.length = 0 // a warm-up failure would repeat below
  for (let i = 0; i < RUNS; i++) {
    for (const [label, fn] of cases) {
      const m = fn()
      if (!m) continue
      const r = row(label)
      r.ms.push(m.ms)
      if (m.cpuMs !== undefined) r.cpuMs.push(m.cpuMs)
      if (m.durationMs !== undefined) r.durationMs.push(m.durationMs)
      if (m.note) r.notes.add(m.note)
      if (m.ok === false) r.notes.add('not OK')
    }
    log(`bench:   round ${i + 1}/${RUNS} done`)
  }

  let phases: {runs: number; wallMedianMs: number | undefined; steps: Array<{name: string; medianMs: number | undefined}>} | undefined
  if (PHASES) {
    log(`bench: ${PHASE_RUNS} runs of an instrumented copy of the CLI start-up (6 nodes)...`)
    const runs: PhaseRun[] = []
    for (let i = 0; i < PHASE_RUNS; i++) {
      const p = phasesOnce(lab6)
      if (p) runs.push(p)
    }
    if (runs.length) {
      phases = {
        runs: runs.length,
        wallMedianMs: median(runs.map((p) => p.wallMs)),
        steps: runs[0].steps.map(([name], i) => ({name, medianMs: median(runs.map((p) => p.steps[i][1]))})),
      }
    }
  }

  // ---- report ------------------------------------------------------------------------------
  const stat = (label: string): Stat | undefined => {
    const r = rows.get(label)
    if (!r || r.ms.length === 0) return undefined
    return {
      runs: r.ms.length,
      medianMs: median(r.ms) ?? NaN, // never NaN: r.ms has samples
      minMs: min(r.ms),
      maxMs: Math.max(...r.ms),
      cpuMedianMs: r.cpuMs.length ? median(r.cpuMs) : undefined,
      probeMedianMs: r.durationMs.length ? median(r.durationMs) : undefined,
      probeMinMs: r.durationMs.length ? min(r.durationMs) : undefined,
      notes: [...r.notes],
      samplesMs: r.ms.map((x) => Math.round(x * 10) / 10),
    }
  }
  const stats: Record<string, Stat | undefined> = Object.fromEntries(cases.map(([label]) => [label, stat(label)]))
  const ratio = (a: string, b: string, key: 'medianMs' | 'cpuMedianMs' = 'medianMs') => {
    const x = stats[a]?.[key]
    const y = stats[b]?.[key]
    return x && y ? x / y : undefined
  }
  const startupRatio = ratio('probe 6 nodes', 'node -e 0')
  const scaleRatio = ratio('probe 48 nodes', 'probe 6 nodes')
  const cliRatio = redisCli ? ratio('redis-cli check 48', 'redis-cli check 6') : undefined
  const startupCpuRatio = ratio('probe 6 nodes', 'node -e 0', 'cpuMedianMs')
  const scaleCpuRatio = ratio('probe 48 nodes', 'probe 6 nodes', 'cpuMedianMs')
  const load1 = loadavg()[0]

  const header = ['command', 'runs', 'median ms', 'min ms', 'max ms', 'cpu ms', 'in-process ms', 'outside probe ms']
  const body = cases.map(([label]) => {
    const s = stats[label]
    if (!s) return [label, '0', '-', '-', '-', '-', '-', 'FAILED']
    return [
      label + (s.notes.length ? ` (${s.notes.join(', ')})` : ''),
      String(s.runs),
      f1(s.medianMs),
      f1(s.minMs),
      f1(s.maxMs),
      s.cpuMedianMs === undefined ? '-' : f0(s.cpuMedianMs),
      s.probeMedianMs === undefined ? '' : f0(s.probeMedianMs),
      s.probeMedianMs === undefined ? '' : f0(s.medianMs - s.probeMedianMs),
    ]
  })
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  const verdict = (value: number | undefined, target: number) => (value === undefined ? 'n/a ' : value <= target ? 'PASS' : 'FAIL')

  const out: string[] = []
  out.push('')
  out.push(
    `rcdiag probe scale benchmark: node ${process.version}, ${cpus().length} CPU(s), ${RUNS} timed runs each${redisCli ? `, ${redisCli}` : ''}`,
  )
  out.push(`labs: 6 nodes (seed ${lab6.seed}), 48 nodes (seed ${lab48.seed}); redis ${lab6.redisVersion}`)
  out.push(
    `background: load average ${f2(load0)} before / ${f2(load1)} after the runs on ${cpus().length} CPU(s); idle labs use ${f0(idle[0])}% + ${f0(idle[1])}% of one core (cluster bus)`,
  )
  if (Math.max(load0, load1) > cpus().length)
    out.push('WARNING: the machine is busy (load > CPUs): wall times are inflated and noisy; compare the cpu ms column too')
  out.push('')
  out.push(line(header))
  out.push(line(widths.map((w) => '-'.repeat(w))))
  for (const r of body) out.push(line(r))
  out.push('')
  out.push('median/min/max ms: wall time of the whole process; cpu ms: its user+sys CPU time (median)')
  out.push(
    "in-process ms: the report's durationMs (median); outside probe ms: median wall - in-process (node start, module load, oclif, exit)",
  )
  out.push('')
  out.push(
    `[${verdict(startupRatio, TARGET_STARTUP)}] probe(6 nodes) / node -e 0      = ${f2(startupRatio)}x   (target <= ${TARGET_STARTUP}x)`,
  )
  out.push(`[${verdict(scaleRatio, TARGET_SCALE)}] probe(48 nodes) / probe(6 nodes) = ${f2(scaleRatio)}x   (target <= ${TARGET_SCALE}x)`)
  out.push(`[info] same ratios by CPU time             = ${f2(startupCpuRatio)}x (startup), ${f2(scaleCpuRatio)}x (48/6)`)
  if (redisCli) out.push(`[info] redis-cli --cluster check 48/6    = ${f2(cliRatio)}x   (for comparison)`)
  else out.push('[info] redis-cli --cluster check: skipped (redis-cli not on PATH)')
  if (phases) {
    const base = stats['node -e 0']?.medianMs
    out.push('')
    out.push(
      `where the 6-node probe's whole-process time goes (instrumented start-up, median of ${phases.runs} runs, wall ${f0(phases.wallMedianMs)} ms;`,
    )
    out.push('each step is what it adds after the steps above it; x = multiples of the `node -e 0` median):')
    const w = Math.max(...phases.steps.map((p) => p.name.length))
    for (const p of phases.steps)
      out.push(`  ${p.name.padEnd(w)}  ${f0(p.medianMs).padStart(5)} ms  ${base ? `${f2((p.medianMs ?? NaN) / base)}x` : ''}`)
  }
  if (failures.length) {
    out.push('')
    out.push(`FAILURES (${failures.length}):`)
    for (const f of failures) out.push(`  ${f}`)
  }
  console.log(out.join('\n'))

  results = {
    node: process.version,
    runs: RUNS,
    stats,
    background: {loadBefore: load0, loadAfter: load1, labIdleCpuPercent: {6: idle[0], 48: idle[1]}},
    ratios: {
      startupCpu: startupCpuRatio,
      scaleCpu: scaleCpuRatio,
      startup: {value: startupRatio, target: TARGET_STARTUP, pass: startupRatio !== undefined && startupRatio <= TARGET_STARTUP},
      scale: {value: scaleRatio, target: TARGET_SCALE, pass: scaleRatio !== undefined && scaleRatio <= TARGET_SCALE},
      redisCliScale: cliRatio,
    },
    phases,
    failures,
  }
  if (JSON_OUT) console.log(JSON.stringify(results, null, 2))
  if (failures.length) exitCode = 1
} catch (error) {
  console.error(
    `bench: ${session.interrupted ? 'interrupted' : `failed: ${error instanceof Error ? (error.stack ?? error.message) : errorMessage(error)}`}`,
  )
  exitCode = session.interrupted ? 130 : 1
} finally {
  if (!(await session.stopAll())) exitCode ||= 1
  log('bench: labs stopped')
}
process.exitCode = exitCode
