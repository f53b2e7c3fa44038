import {EXIT, usageError} from '../lib/shared/errors.js'

/**
 * Asks for a password on the terminal without echoing it (--askpass): it then appears in no
 * command line (`ps`), no environment and no shell history. Needs stdin to be a terminal.
 */
export async function askPassword(prompt = 'Password: '): Promise<string> {
  const input = process.stdin
  if (!input.isTTY) throw usageError('--askpass needs a terminal to ask on (stdin is not one); set REDISCLI_AUTH instead')
  process.stderr.write(prompt)
  input.setRawMode(true)
  input.setEncoding('utf8')
  input.resume()
  return new Promise((resolve) => {
    let value = ''
    const finish = () => {
      input.off('data', onData)
      input.setRawMode(false)
      input.pause()
      process.stderr.write('\n')
    }
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish()
          resolve(value)
          return
        }
        if (ch === '\u0003') {
          // Ctrl-C at the prompt: nothing was started, nothing to clean up
          finish()
          process.exit(EXIT.interrupted)
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1)
        else if (ch >= ' ') value += ch
      }
    }
    input.on('data', onData)
  })
}
