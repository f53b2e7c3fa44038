import {Flags} from '@oclif/core'

import {RcdiagCommand} from '../cli/base-command.js'
import {connectionFlags, nodeArg, targetFromFlags} from '../cli/connection-flags.js'
import {DAY, durationFlagIn, HOUR} from '../cli/duration-flag.js'
import {failOnFlag} from '../cli/fail-on.js'
import {atLeast} from '../lib/findings/severity.js'
import {EXIT} from '../lib/shared/errors.js'
import {renderEpisodeLine, renderWatchSummary} from '../lib/watch/render.js'
import {watch, type WatchReport} from '../lib/watch/watch.js'

export default class Watch extends RcdiagCommand {
  static override summary = 'Watch every node at low cost and report each episode of intermittent trouble as it happens.'
  static override description =
    "One pipelined read per node per interval on a long-lived connection (INFO, LATENCY LATEST, the newest SLOWLOG id), deltas with rcdiag's own calls subtracted, a robust baseline per rate over the recent window; consecutive intervals that stand out (topology calls, new connections, MOVED/ASK, rejected connections, evictions, SLOWLOG entries, latency events, role changes, nodes not answering) form an episode, printed when it ends. Ctrl-C prints the summary."
  static override examples = [
    '<%= config.bin %> watch 127.0.0.1:7000',
    '<%= config.bin %> watch 127.0.0.1:7000 --interval 250ms --duration 10m --max-episodes 3',
    '<%= config.bin %> watch 127.0.0.1:7000 --ndjson | jq -c \'select(.type == "episode")\'',
    '<%= config.bin %> watch 127.0.0.1:7000 --duration 1h --fail-on warning   # from cron: exit 6 at the first episode',
  ]
  static override args = nodeArg
  static override flags = {
    ...connectionFlags,
    interval: durationFlagIn({min: 50, max: HOUR})({
      summary: 'Time between two reads of every node.',
      default: 1000,
      defaultHelp: async () => '1s',
    }),
    duration: durationFlagIn({min: 1, max: 7 * DAY})({summary: 'Stop after this long (default: until Ctrl-C).'}),
    'max-episodes': Flags.integer({summary: 'Stop after this many episodes.', min: 1}),
    ndjson: Flags.boolean({
      summary: 'Stream a sample event per interval, an episode event per episode and a final report event on stdout.',
      exclusive: ['json'],
    }),
    'fail-on': failOnFlag,
  }

  async run(): Promise<WatchReport> {
    const {args, flags} = await this.parse(Watch)
    this.streaming = flags.ndjson
    // the target first: --askpass prompts on the terminal, which a spinner would overwrite
    const target = await targetFromFlags(flags, args.node)
    const {signal} = this.interruption()
    const spinner = this.spinner('connecting')
    const text = !flags.ndjson && !this.jsonEnabled()
    const failOn = flags['fail-on']
    const report = await watch(target, {
      intervalMs: flags.interval,
      durationMs: flags.duration,
      maxEpisodes: flags['max-episodes'],
      signal,
      // --fail-on: stop at the first episode at or above the level (exit 6 after the summary)
      stopAfter: failOn ? (episode) => atLeast(episode.severity, failOn) : undefined,
      onProgress: this.progress(spinner),
      onSample: flags.ndjson ? (sample) => this.emit({type: 'sample', ...sample}) : undefined,
      onEpisode: (episode) => {
        if (flags.ndjson) this.emit({type: 'episode', ...episode})
        else if (text) {
          spinner.stop()
          this.line(renderEpisodeLine(episode))
        }
      },
    })
    spinner.stop()
    if (flags.ndjson) this.emit({type: 'report', ...report})
    else this.render(renderWatchSummary(report))
    if (report.endedBy === 'fail-on') process.exitCode = EXIT.findings
    return report
  }
}
