import {readFileSync} from 'node:fs'

import type {Target} from '../redis/target.js'
import type {LabTlsFiles} from './types.js'

/** Forming a cluster: CLUSTER commands on a busy 2-core machine can take a few seconds. */
export const LAB_CONTROL_TIMEOUTS = {connectTimeoutMs: 2000, commandTimeoutMs: 3000} as const

/** Readiness and `lab status` polls: a hung node must not stall them, the next poll asks again. */
export const LAB_POLL_TIMEOUTS = {connectTimeoutMs: 1000, commandTimeoutMs: 1000} as const

export interface LabAccess {
  password?: string
  tls?: LabTlsFiles
}

/** Where and how rcdiag reaches one node of its own lab: loopback, the lab's password and CA. */
export function labTarget(
  host: string,
  port: number,
  access: LabAccess,
  timeouts: {connectTimeoutMs: number; commandTimeoutMs: number},
): Target {
  return {
    host,
    port,
    password: access.password,
    tls: access.tls ? {ca: readFileSync(access.tls.caFile, 'utf8'), rejectUnauthorized: true, verifyHostname: false} : undefined,
    ...timeouts,
  }
}
