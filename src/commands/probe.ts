import {Flags} from '@oclif/core'

import {RcdiagCommand} from '../cli/base-command.js'
import {connectionFlags, nodeArg, targetFromFlags} from '../cli/connection-flags.js'
import {durationFlag} from '../cli/duration-flag.js'
import {failOnFlag} from '../cli/fail-on.js'
import {probe} from '../lib/probe/probe.js'
import {DEFAULT_NODE_CONCURRENCY} from '../lib/shared/constants.js'
import type {ProbeReport} from '../lib/report/probe-report.js'
import {renderProbe} from '../lib/render/probe.js'

export default class Probe extends RcdiagCommand {
  static override summary = 'Probe every node of a cluster once and report likely causes of intermittent latency.'
  static override description =
    'Discovers the topology from one seed node, then reads config, INFO, CLIENT LIST, SLOWLOG, LATENCY and cluster state from every node in one pipelined round trip each. Read-only.'
  static override examples = [
    '<%= config.bin %> probe 127.0.0.1:7000',
    '<%= config.bin %> probe redis://default@10.0.0.5:6379 --sample 10s',
    'REDISCLI_AUTH=secret <%= config.bin %> probe rediss://cache.example:6380 --cacert ca.pem --json',
  ]
  static override args = nodeArg
  static override flags = {
    ...connectionFlags,
    sample: durationFlag({
      summary: 'Take a second snapshot after this long and report rates (ops/s, new connections/s, topology calls/s).',
    }),
    concurrency: Flags.integer({summary: 'Nodes probed at once.', default: DEFAULT_NODE_CONCURRENCY, min: 1, max: 256}),
    'fail-on': failOnFlag,
  }

  async run(): Promise<ProbeReport> {
    const {args, flags} = await this.parse(Probe)
    const target = await targetFromFlags(flags, args.node)
    const spinner = this.spinner('probing')
    const {signal} = this.interruption()
    const report = await probe(target, {sampleMs: flags.sample, concurrency: flags.concurrency, signal, onProgress: this.progress(spinner)})
    this.render(renderProbe(report))
    this.failOn(report.findings, flags['fail-on'])
    return report
  }
}
