/**
 * ioredis writes some facts with console.warn on every connection: a probe of 6 nodes printed the
 * same "[WARN] ... does not require a password" 7 times, a short replay 107 times. Each known one
 * becomes one line of rcdiag's own, once per run; anything else passes through unchanged.
 */
const KNOWN: Array<[RegExp, string]> = [
  [/does not require a password, but a password was supplied/, 'a password was given, but the server does not require one (it is ignored)'],
  [
    /^Skipping the ready check because INFO command fails/,
    'INFO is refused for this user: the ioredis model skips its ready check, as ioredis does',
  ],
  [
    /You are probably passing both username and password to Redis version 5 or below/,
    'the server is older than Redis 6 and takes no user name: leave --user out',
  ],
]

let installed = false

export function quietLibraryWarnings(write: (line: string) => void = (line) => process.stderr.write(line)): void {
  if (installed) return
  installed = true
  const seen = new Set<string>()
  // eslint-disable-next-line no-console -- the one place that wraps ioredis' console.warn
  const original = console.warn.bind(console)
  // eslint-disable-next-line no-console
  console.warn = (...args: unknown[]) => {
    const text = args.map(String).join(' ')
    const known = KNOWN.find(([pattern]) => pattern.test(text))
    if (!known) return original(...args)
    if (seen.has(known[1])) return
    seen.add(known[1])
    write(`rcdiag: ${known[1]}\n`)
  }
}
