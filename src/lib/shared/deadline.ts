/** A deadline rcdiag set itself passed: the peer did not answer in time. */
export class DeadlineError extends Error {
  readonly code = 'ETIMEDOUT'

  constructor(message: string) {
    super(message)
    this.name = 'DeadlineError'
  }
}

/**
 * Resolves or rejects within `ms`; never leaves a timer behind. On time-out it rejects with what
 * `onTimeout` makes: a DeadlineError with `onTimeout` as its message when it is a string.
 */
export async function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: string | (() => Error)): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(typeof onTimeout === 'string' ? new DeadlineError(onTimeout) : onTimeout()), ms)
  })
  try {
    return await Promise.race([promise, deadline])
  } finally {
    clearTimeout(timer)
  }
}
