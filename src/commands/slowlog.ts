import {Flags} from '@oclif/core'

import {RcdiagCommand} from '../cli/base-command.js'
import {connectionFlags, nodeArg, targetFromFlags} from '../cli/connection-flags.js'
import {formatDuration} from '../cli/duration.js'
import {DAY, durationFlag, durationFlagIn, HOUR} from '../cli/duration-flag.js'
import {failOnFlag} from '../cli/fail-on.js'
import {DEFAULT_NODE_CONCURRENCY} from '../lib/shared/constants.js'
import {DEFAULT_FOLLOW_INTERVAL_MS, followSlowlog} from '../lib/slowlog/follow.js'
import {renderFollowLine, renderSlowlog} from '../lib/slowlog/render.js'
import type {SlowlogReport} from '../lib/slowlog/report.js'
import {collectSlowlog} from '../lib/slowlog/slowlog.js'
import {GROUP_BY, type GroupBy} from '../lib/slowlog/types.js'

export default class Slowlog extends RcdiagCommand {
  static override summary = 'Read SLOWLOG from every node, merge it into one timeline and rank the worst offenders.'
  static override description =
    'Reads the whole SLOWLOG of every master and replica (or one standalone server), merges the entries by time, groups them by key pattern (or command, node, client) and shows a duration histogram. Arguments are escaped from their raw bytes, so hostile keys cannot touch the terminal. --follow tails new entries until Ctrl-C. Read-only; entries made by rcdiag itself are left out.'
  static override examples = [
    '<%= config.bin %> slowlog 127.0.0.1:7000',
    '<%= config.bin %> slowlog 127.0.0.1:7000 --since 10m --min-duration 5ms --group-by command',
    '<%= config.bin %> slowlog 127.0.0.1:7000 --follow --json --interval 500ms',
  ]
  static override args = nodeArg
  static override flags = {
    ...connectionFlags,
    count: Flags.integer({summary: 'Read only the newest N entries of each node (default: the whole log).', min: 1}),
    since: durationFlagIn({max: 3650 * DAY, timer: false})({summary: 'Only entries newer than this, e.g. 10m.'}),
    'min-duration': durationFlag({summary: 'Only entries at least this slow, e.g. 5ms.'}),
    'group-by': Flags.option({options: GROUP_BY, default: 'pattern' as GroupBy, summary: 'How entries are grouped.'})(),
    follow: Flags.boolean({
      char: 'f',
      summary: 'Keep polling and print new entries until Ctrl-C (NDJSON with --json).',
      exclusive: ['fail-on'],
    }),
    interval: durationFlagIn({min: 10, max: HOUR})({
      summary: 'Time between two polls with --follow.',
      default: DEFAULT_FOLLOW_INTERVAL_MS,
      defaultHelp: async () => formatDuration(DEFAULT_FOLLOW_INTERVAL_MS),
    }),
    concurrency: Flags.integer({summary: 'Nodes read at once.', default: DEFAULT_NODE_CONCURRENCY, min: 1, max: 256}),
    'fail-on': failOnFlag,
  }

  async run(): Promise<SlowlogReport | undefined> {
    const {args, flags} = await this.parse(Slowlog)
    const target = await targetFromFlags(flags, args.node)
    const filters = {
      count: flags.count ?? null,
      sinceMs: flags.since ?? null,
      minDurationUs: flags['min-duration'] === undefined ? null : flags['min-duration'] * 1000,
    }
    if (flags.follow) {
      // Tails until Ctrl-C; with --json each entry is one NDJSON line and nothing else goes to stdout.
      const json = this.jsonEnabled()
      // NDJSON: a failure ends the stream with an error event, not a document
      this.streaming = json
      await followSlowlog(target, {
        ...filters,
        intervalMs: flags.interval,
        concurrency: flags.concurrency,
        signal: this.interruption().signal,
        onEntry: (entry) => (json ? this.emit({...entry}) : this.line(renderFollowLine(entry))),
        onNotice: (message) => process.stderr.write(`rcdiag: ${message}\n`),
      })
      return undefined
    }
    const spinner = this.spinner('reading SLOWLOG')
    const report = await collectSlowlog(target, {
      ...filters,
      groupBy: flags['group-by'],
      concurrency: flags.concurrency,
      onProgress: this.progress(spinner),
    })
    this.render(renderSlowlog(report))
    this.failOn(report.findings, flags['fail-on'])
    return report
  }
}
