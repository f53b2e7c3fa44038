import {Flags} from '@oclif/core'

import {RcdiagCommand} from '../cli/base-command.js'
import {connectionFlags, nodeArg, targetFromFlags} from '../cli/connection-flags.js'
import {formatDuration} from '../cli/duration.js'
import {DAY, durationFlag, durationFlagIn} from '../cli/duration-flag.js'
import {failOnFlag} from '../cli/fail-on.js'
import {estimateReplayMs, replayInputFromFlags, resolveReplaySettings, REPLAY_DEFAULTS} from '../lib/replay/options.js'
import {renderPlan, renderReplay} from '../lib/replay/render.js'
import {replay} from '../lib/replay/replay.js'
import {EXIT} from '../lib/shared/errors.js'
import type {ReplayReport} from '../lib/replay/report.js'
import {CLIENT_MODELS} from '../lib/replay/types.js'

export default class Replay extends RcdiagCommand {
  static override summary = 'Replay a burst, idle gap, burst HMGET workload and show which client behaviour makes it slow.'
  static override description =
    'Creates its own hashes under --prefix followed by a random run id (never touching an existing key; with a TTL; removed at the end and on Ctrl-C), then runs warm-up, idle gap, post-idle burst and steady bursts per client model, measuring HDR latency, reconnects, MOVED, slot-map refreshes and the server-side counters around each phase. --keys-from replays read-only against existing hashes.'
  static override examples = [
    '<%= config.bin %> replay 127.0.0.1:7000 --idle 6s --client refresh-on-error --client single-flight',
    '<%= config.bin %> replay redis://10.0.0.5:6379 --idle 350s --cycles 2 --client all --json',
    '<%= config.bin %> replay 127.0.0.1:7000 --keys-from "user:*" --idle 5m',
  ]
  static override args = nodeArg
  static override flags = {
    ...connectionFlags,
    client: Flags.string({
      summary: `Client behaviour model, repeatable: ${CLIENT_MODELS.join(', ')} or all.`,
      multiple: true,
      default: ['ioredis'],
    }),
    concurrency: Flags.integer({summary: 'Concurrent workers.', default: REPLAY_DEFAULTS.concurrency}),
    fields: Flags.integer({summary: 'Fields per HMGET.', default: REPLAY_DEFAULTS.fields}),
    // a replay reads a few thousand distinct keys per phase: more only cost minutes and memory (1M: 0.95 GB RSS)
    keys: Flags.integer({
      summary: 'Hashes to create (or to sample with --keys-from), 1 to 100,000.',
      default: REPLAY_DEFAULTS.keys,
      min: 1,
      max: 100_000,
    }),
    prefix: Flags.string({
      summary: 'Prefix of the keys rcdiag creates; a random run id follows it (<prefix><runId>:<n>).',
      default: REPLAY_DEFAULTS.prefix,
    }),
    'keys-from': Flags.string({summary: 'Replay read-only against existing hashes matching this pattern (SCAN on the masters).'}),
    idle: durationFlag({
      summary: 'Idle gap between bursts; set it above the server timeout.',
      default: REPLAY_DEFAULTS.idleMs,
      defaultHelp: async () => formatDuration(REPLAY_DEFAULTS.idleMs),
    }),
    cycles: Flags.integer({summary: 'Idle gap + post-idle burst + steady bursts cycles.', default: REPLAY_DEFAULTS.cycles}),
    'steady-bursts': Flags.integer({summary: 'Bursts after the post-idle one, per cycle.', default: REPLAY_DEFAULTS.steadyBursts}),
    burst: Flags.integer({summary: 'Operations per worker per burst.', default: REPLAY_DEFAULTS.burst}),
    rate: Flags.integer({summary: 'Cap on operations per second across all workers (0: none).', default: REPLAY_DEFAULTS.rate, min: 0}),
    duration: durationFlagIn({max: 7 * DAY})({summary: 'Bound on the whole replay; phases not started by then are skipped.'}),
    cleanup: Flags.boolean({summary: 'Remove the keys rcdiag created at the end.', default: true, allowNo: true}),
    ndjson: Flags.boolean({summary: 'Stream one JSON event per phase (and per second during bursts) on stdout.', exclusive: ['json']}),
    'fail-on': failOnFlag,
  }

  async run(): Promise<ReplayReport> {
    const {args, flags} = await this.parse(Replay)
    this.streaming = flags.ndjson
    // the target first: --askpass prompts on the terminal, which a spinner would overwrite
    const target = await targetFromFlags(flags, args.node)
    const {signal, onSecond} = this.interruption()
    const spinner = this.spinner('replaying')
    const settings = resolveReplaySettings(replayInputFromFlags(flags))
    // the plan, before anything starts: a default run is three 350 s gaps per model
    if (process.stderr.isTTY && !this.jsonEnabled() && !flags.ndjson)
      process.stderr.write(renderPlan(settings, estimateReplayMs(settings)) + '\n')
    let keys: {prefix: string; ttlSec: number} | undefined
    onSecond(() => keys && `replay keys under ${keys.prefix} not yet removed expire within ${keys.ttlSec} s`)
    const report = await replay(target, settings, {
      signal,
      onProgress: this.progress(spinner),
      onEvent: flags.ndjson ? (event) => this.emit(event) : undefined,
      onKeys: (written) => {
        keys = written
      },
    })
    spinner.stop()
    if (flags.ndjson) {
      const {runs: _runs, ...summary} = report
      this.emit({type: 'report', ...summary})
    } else {
      this.render(renderReplay(report))
    }
    this.failOn(report.findings, flags['fail-on'])
    // interruption wins over --fail-on
    // (a reader that went away is no interruption: exit 0, as the README says)
    if (report.interrupted && signal.aborted && !this.stdoutClosed) process.exitCode = EXIT.interrupted
    return report
  }
}
