import {Args, Flags} from '@oclif/core'

import {resolveTarget, type Target} from '../lib/redis/target.js'
import {DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS} from '../lib/shared/constants.js'
import {usageError} from '../lib/shared/errors.js'
import {formatDuration} from './duration.js'
import {durationFlagIn, MINUTE} from './duration-flag.js'

/** The connection flags shared by every command that talks to a cluster. Defined once. */
export const connectionFlags = {
  url: Flags.string({
    char: 'u',
    summary: 'Seed node: host:port or redis[s]://[user[:password]@]host:port (the NODE argument also works).',
    helpGroup: 'CONNECTION',
  }),
  user: Flags.string({summary: 'ACL user name.', helpGroup: 'CONNECTION'}),
  password: Flags.string({
    char: 'a',
    summary: 'Password (prefer the REDISCLI_AUTH environment variable). Never printed.',
    helpGroup: 'CONNECTION',
  }),
  tls: Flags.boolean({summary: 'Connect with TLS (implied by rediss:// and --cacert).', helpGroup: 'CONNECTION'}),
  cacert: Flags.string({summary: 'CA certificate (PEM) to verify the servers with.', helpGroup: 'CONNECTION'}),
  insecure: Flags.boolean({summary: 'TLS without certificate verification.', helpGroup: 'CONNECTION'}),
  'nat-map': Flags.string({
    summary: 'Connect to an announced address at another one: FROM=TO, each host or host:port (repeatable).',
    description:
      'For clusters whose nodes announce addresses not reachable from here (Docker, Kubernetes, NAT, port forwards), ' +
      'as ioredis natMap does: --nat-map 10.0.0.5=127.0.0.1 maps every port of a host, --nat-map 10.0.0.5:6379=127.0.0.1:7001 one address.',
    multiple: true,
    // one value per --nat-map, so that `--nat-map A=B host:port` keeps host:port as the NODE argument
    multipleNonGreedy: true,
    helpGroup: 'CONNECTION',
  }),
  'connect-timeout': durationFlagIn({min: 1, max: 10 * MINUTE})({
    summary: 'Budget to connect to one node.',
    default: DEFAULT_CONNECT_TIMEOUT_MS,
    defaultHelp: async () => formatDuration(DEFAULT_CONNECT_TIMEOUT_MS),
    helpGroup: 'CONNECTION',
  }),
  'command-timeout': durationFlagIn({min: 1, max: 10 * MINUTE})({
    summary: 'Budget for one node to answer; slower nodes are marked unreachable.',
    default: DEFAULT_COMMAND_TIMEOUT_MS,
    defaultHelp: async () => formatDuration(DEFAULT_COMMAND_TIMEOUT_MS),
    helpGroup: 'CONNECTION',
  }),
}

export const nodeArg = {
  node: Args.string({description: 'Seed node, host:port or redis[s]:// URL (default 127.0.0.1:6379).', required: false}),
}

type ConnectionFlagValues = {
  url?: string
  user?: string
  password?: string
  tls: boolean
  cacert?: string
  insecure: boolean
  'nat-map'?: string[]
  'connect-timeout': number
  'command-timeout': number
}

export function targetFromFlags(flags: ConnectionFlagValues, node?: string): Target {
  if (node !== undefined && flags.url !== undefined) {
    throw usageError('give the seed once: as the NODE argument or with --url, not both')
  }
  return resolveTarget({
    spec: node ?? flags.url,
    user: flags.user,
    password: flags.password,
    tls: flags.tls,
    cacert: flags.cacert,
    insecure: flags.insecure,
    connectTimeoutMs: flags['connect-timeout'],
    commandTimeoutMs: flags['command-timeout'],
    natMap: flags['nat-map'],
  })
}
