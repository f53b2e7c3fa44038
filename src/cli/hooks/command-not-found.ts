import type {Hook} from '@oclif/core'

import {escapeBytes} from '../../lib/parse/escape.js'
import {EXIT} from '../../lib/shared/errors.js'
import {editDistance, nearestIds} from '../../lib/shared/nearest.js'

/** What people type for what oclif calls otherwise. */
const ALIASES: Record<string, string> = {version: '--version', help: '--help'}

/**
 * An unknown command is a usage error (exit 2) in rcdiag's one-line form, with the nearest commands;
 * what the user typed is escaped like data from Redis (no terminal control characters get through).
 */
const hook: Hook<'command_not_found'> = async function (options) {
  const typed = options.id.replaceAll(':', ' ')
  const commands = options.config.commandIDs.map((id) => id.replaceAll(':', ' ')).filter((id) => id !== 'help')
  const alias = ALIASES[typed.toLowerCase()]
  // only commands that look like what was typed: "foo" suggests nothing
  const close = (c: string) => editDistance(typed, c) <= Math.max(2, Math.floor(typed.length / 2)) || c.startsWith(typed)
  const nearest = alias ? [alias] : nearestIds(typed, commands, 2).filter(close)
  const hint = nearest.length > 0 ? `; did you mean ${nearest.map((c) => `\`rcdiag ${c}\``).join(' or ')}?` : ''
  process.stderr.write(`rcdiag: unknown command "${escapeBytes(typed)}"${hint} (\`rcdiag --help\` lists them)\n`)
  process.exitCode = EXIT.usage
}

export default hook
