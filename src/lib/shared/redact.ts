const secrets = new Set<string>()

/** Registers a secret (a password) so that no message rcdiag prints can contain it. */
export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length > 0) secrets.add(secret)
}

/**
 * A URL's user-info part, up to the last "@" of the URL: a password that was not URL-encoded may
 * itself hold "@", ":" or "/", and none of it may show.
 */
const URL_PASSWORD = /(rediss?:\/\/[^:@/\s]*:)\S*@/gi

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Removes registered secrets and URL passwords from a message. A secret is replaced only where it
 * stands alone (not inside a longer word or number): a password "7" must not turn
 * "127.0.0.1:7844" into "12***.0.0.1:***844", which would both mangle the message and let the
 * password be read back from what was starred.
 */
export function redactSecrets(text: string): string {
  let out = text.replace(URL_PASSWORD, '$1***@')
  for (const secret of secrets) {
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(secret)}(?![\\p{L}\\p{N}])`, 'gu'), '***')
  }
  return out
}
