import {Flags} from '@oclif/core'

import {RcdiagCommand} from '../../cli/base-command.js'
import {parseConfigFlag, publicLabState, startLab, type LabState} from '../../lib/lab/index.js'
import {renderLabUp} from '../../lib/lab/render.js'
import {SCHEMA_VERSION} from '../../lib/shared/version.js'

export default class LabUp extends RcdiagCommand {
  static override summary = 'Start a throw-away local Redis Cluster (or one server) from the redis-server on PATH.'
  static override description =
    'Every server listens on 127.0.0.1 only, on free ports, with its own data directory; nothing is persisted. The cluster is formed without redis-cli and is ready (cluster_state:ok everywhere, replicas in sync) when this returns.'
  static override examples = [
    '<%= config.bin %> lab up',
    '<%= config.bin %> lab up --timeout 5 --tcp-keepalive 0',
    '<%= config.bin %> lab up --masters 3 --replicas 0 --port 30001 --config maxclients=20',
    '<%= config.bin %> lab up --standalone --name single --config requirepass=s3cret',
  ]
  static override flags = {
    masters: Flags.integer({summary: 'Number of masters.', default: 3, min: 1, max: 200}),
    replicas: Flags.integer({summary: 'Replicas per master.', default: 1, min: 0, max: 10}),
    port: Flags.integer({summary: 'First port (taken ports, and those whose port+10000 is taken, are skipped).', min: 1024, max: 65_535}),
    timeout: Flags.integer({summary: "The servers' idle client timeout, seconds (0 = never).", default: 0, min: 0}),
    'tcp-keepalive': Flags.integer({summary: "The servers' tcp-keepalive, seconds.", default: 300, min: 0}),
    'cluster-node-timeout': Flags.integer({summary: 'cluster-node-timeout, milliseconds.', default: 3000, min: 50}),
    config: Flags.string({
      summary: 'Extra redis.conf directive as key=value (repeatable), e.g. maxclients=20 or rename-command=\'CONFIG ""\'.',
      multiple: true,
    }),
    standalone: Flags.boolean({summary: 'One server, no cluster.', default: false}),
    'server-bin': Flags.string({
      summary: 'The server binary to run (default: redis-server on PATH, else valkey-server), e.g. ../servers/valkey-8.0.1/valkey-server.',
    }),
    name: Flags.string({summary: 'Lab name.', default: 'default'}),
  }

  async run(): Promise<{schemaVersion: number; command: 'lab up'} & Omit<LabState, 'password'>> {
    const {flags} = await this.parse(LabUp)
    const config = (flags.config ?? []).map(parseConfigFlag)
    const spinner = this.spinner('starting the lab')
    const started = Date.now()
    // Ctrl-C stops and removes whatever was started instead of leaving orphan servers
    const {signal} = this.interruption()
    const state = await startLab({
      masters: flags.masters,
      replicas: flags.replicas,
      port: flags.port,
      timeoutSec: flags.timeout,
      tcpKeepaliveSec: flags['tcp-keepalive'],
      clusterNodeTimeoutMs: flags['cluster-node-timeout'],
      config,
      standalone: flags.standalone,
      serverBin: flags['server-bin'],
      name: flags.name,
      onProgress: this.progress(spinner),
      signal,
    })
    this.render(renderLabUp(state, Date.now() - started))
    // the --json document: the state without its password
    return {schemaVersion: SCHEMA_VERSION, command: 'lab up', ...publicLabState(state)}
  }
}
