import {Args, Flags} from '@oclif/core'

import {resolveTarget, type Target} from '../lib/redis/target.js'
import {DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS} from '../lib/shared/constants.js'
import {usageError} from '../lib/shared/errors.js'
import {formatDuration} from './duration.js'
import {askPassword} from './askpass.js'
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
  askpass: Flags.boolean({
    summary: 'Ask for the password on the terminal, without echo: it then shows in no command line (ps) or history.',
    helpGroup: 'CONNECTION',
  }),
  'no-auth-warning': Flags.boolean({
    summary: 'Do not warn that a password on the command line is visible to other users (as redis-cli).',
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
  askpass: boolean
  'no-auth-warning': boolean
  tls: boolean
  cacert?: string
  insecure: boolean
  'nat-map'?: string[]
  'connect-timeout': number
  'command-timeout': number
}

/**
 * The target from the connection flags. The password comes from --askpass (asked on the terminal),
 * --password, the URL or REDISCLI_AUTH; one on the command line is visible in `ps` for the whole
 * run, which is said once on stderr (as redis-cli does for -a) unless --no-auth-warning.
 */
export async function targetFromFlags(flags: ConnectionFlagValues, node?: string): Promise<Target> {
  if (node !== undefined && flags.url !== undefined) {
    throw usageError('give the seed once: as the NODE argument or with --url, not both')
  }
  if (flags.askpass && flags.password !== undefined) throw usageError('--askpass asks for the password: leave out --password')
  const spec = node ?? flags.url
  const password = flags.askpass ? await askPassword() : flags.password
  const target = resolveTarget({
    spec,
    user: flags.user,
    password,
    tls: flags.tls,
    cacert: flags.cacert,
    insecure: flags.insecure,
    connectTimeoutMs: flags['connect-timeout'],
    commandTimeoutMs: flags['command-timeout'],
    natMap: flags['nat-map'],
  })
  const onCommandLine = !flags.askpass && (flags.password !== undefined || urlHasPassword(spec))
  if (onCommandLine && target.password && !flags['no-auth-warning']) {
    process.stderr.write(
      'rcdiag: warning: a password on the command line can be seen by other users (ps) while rcdiag runs; use REDISCLI_AUTH or --askpass\n',
    )
  }
  return target
}

function urlHasPassword(spec: string | undefined): boolean {
  if (!spec || !/^rediss?:\/\//i.test(spec)) return false
  try {
    return new URL(spec).password !== ''
  } catch {
    return false
  }
}
