/** config-unreadable: what `rcdiag explain config-unreadable` prints, and every threshold and confidence its rule uses. */
import type {CatalogEntry} from '../types.js'

export const THRESHOLDS = {
  /** confidence of every finding: the skipped checks are read from the server's own refusals */
  confidence: 0.9,
} as const

export const ENTRY: CatalogEntry = {
  id: 'config-unreadable',
  title: 'Some checks could not run: CONFIG or another command is disabled',
  severities: ['info', 'warning'],
  meaning:
    'Managed services and restrictive ACLs rename or deny CONFIG, CLIENT LIST, SLOWLOG or LATENCY. ' +
    'rcdiag cannot see what it cannot read, so the checks that depend on them (timeout, tcp-keepalive, idle ages, slow commands) were skipped, and their absence from the report is not a clean bill of health.',
  detection:
    'Fires when any reachable node reports skipped checks. Warning when every reachable node refused CONFIG (so idle-timeout-reconnect and tcp-keepalive-off cannot be evaluated); otherwise info. ' +
    "Evidence: each skipped check with its command, on how many nodes, and the server's reason.",
  remedy:
    'Grant the read-only commands rcdiag uses: `ACL SETUSER <user> +ping +info +config|get +client|list +client|setname +slowlog|get +slowlog|len +latency|latest +cluster|info +cluster|nodes +cluster|slots +cluster|shards +cluster|myid`. ' +
    "Managed services may never allow CONFIG: read `timeout` and `tcp-keepalive` from the provider's parameter group or console instead.",
}
