/** The host of "host:port" or "[v6]:port" (brackets removed); the whole text when it has no port. */
export function hostOf(address: string): string {
  const v6 = /^\[([^\]]+)\]:\d+$/.exec(address)
  if (v6) return v6[1]
  const index = address.lastIndexOf(':')
  return index > 0 ? address.slice(0, index) : address
}
