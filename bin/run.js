#!/usr/bin/env node
// npm already enforces package.json "engines" at install; oclif's own check at every start loads
// semver (~30 ms), which a diagnostic tool run from cron or CI pays each time.
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1'
const {execute} = await import('@oclif/core')

await execute({dir: import.meta.url})
