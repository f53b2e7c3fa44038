const secrets = new Set<string>()

/** Registers a secret (a password) so that no message rcdiag prints can contain it. */
export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length > 0) secrets.add(secret)
}

/** Removes registered secrets and URL passwords from a message. */
export function redactSecrets(text: string): string {
  let out = text.replace(/(rediss?:\/\/[^:@/\s]*:)[^@\s]*@/gi, '$1***@')
  for (const secret of secrets) out = out.split(secret).join('***')
  return out
}
