import {Flags} from '@oclif/core'

import {RcdiagCommand} from '../lib/cli/base-command.js'
import {connectionFlags, nodeArg, targetFromFlags} from '../lib/cli/connection-flags.js'
import {durationFlag} from '../lib/cli/duration-flag.js'
import {failOnExitCode, failOnFlag} from '../lib/cli/fail-on.js'
import type {Target} from '../lib/redis/target.js'
import {followSlowlog} from '../lib/slowlog/follow.js'
import {renderFollowLine, renderSlowlog} from '../lib/slowlog/render.js'
import type {SlowlogReport} from '../lib/slowlog/report.js'
import {collectSlowlog} from '../lib/slowlog/slowlog.js'
import {GROUP_BY, type GroupBy, type SlowlogFilters} from '../lib/slowlog/types.js'

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
    since: durationFlag({summary: 'Only entries newer than this, e.g. 10m.'}),
    'min-duration': durationFlag({summary: 'Only entries at least this slow, e.g. 5ms.'}),
    'group-by': Flags.option({options: GROUP_BY, default: 'pattern' as GroupBy, summary: 'How entries are grouped.'})(),
    follow: Flags.boolean({char: 'f', summary: 'Keep polling and print new entries until Ctrl-C (NDJSON with --json).', exclusive: ['fail-on']}),
    interval: durationFlag({
      summary: 'Time between two polls with --follow.',
      default: 1000,
      defaultHelp: async () => '1s',
    }),
    concurrency: Flags.integer({summary: 'Nodes read at once.', default: 16, min: 1, max: 256}),
    'fail-on': failOnFlag,
  }

  async run(): Promise<SlowlogReport | undefined> {
    const {args, flags} = await this.parse(Slowlog)
    const target = targetFromFlags(flags, args.node)
    const filters = {
      count: flags.count ?? null,
      sinceMs: flags.since ?? null,
      minDurationUs: flags['min-duration'] === undefined ? null : flags['min-duration'] * 1000,
    }
    if (flags.follow) {
      await this.follow(target, filters, flags.interval, flags.concurrency)
      return undefined
    }
    const spinner = this.spinner('reading SLOWLOG')
    try {
      const report = await collectSlowlog(target, {
        ...filters,
        groupBy: flags['group-by'],
        concurrency: flags.concurrency,
        onProgress: (text) => {
          spinner.text = text
        },
      })
      spinner.stop()
      if (!this.jsonEnabled()) this.log(renderSlowlog(report).trimEnd())
      const failOn = failOnExitCode(report.findings, flags['fail-on'])
      if (failOn !== undefined) process.exitCode = failOn
      return report
    } finally {
      spinner.stop()
    }
  }

  /** Tails until SIGINT; with --json each entry is one NDJSON line and nothing else goes to stdout. */
  private async follow(target: Target, filters: SlowlogFilters, intervalMs: number, concurrency: number): Promise<void> {
    const abort = new AbortController()
    const onSigint = () => abort.abort()
    process.once('SIGINT', onSigint)
    try {
      await followSlowlog(target, {
        ...filters,
        intervalMs,
        concurrency,
        signal: abort.signal,
        onEntry: (entry) => process.stdout.write((this.jsonEnabled() ? JSON.stringify(entry) : renderFollowLine(entry)) + '\n'),
        onNotice: (message) => process.stderr.write(`rcdiag: ${message}\n`),
      })
    } finally {
      process.removeListener('SIGINT', onSigint)
    }
  }
}
