#!/usr/bin/env node
// npm already enforces package.json "engines" at install; oclif's own check at every start loads
// semver (~30 ms), which a diagnostic tool run from cron or CI pays each time.
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1'
// ioredis logs command arguments (AUTH included) and oclif logs argv (--password included) through
// `debug`: whatever DEBUG says, those namespaces stay off. RCDIAG_DEBUG=1 prints rcdiag's stacks.
if (process.env.DEBUG) process.env.DEBUG += ',-ioredis:*,-oclif:*,-@oclif/*'
const {execute} = await import('@oclif/core')

await execute({dir: import.meta.url})
