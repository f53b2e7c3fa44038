#!/usr/bin/env -S node --import tsx
// Runs the TypeScript sources directly (tsx is pinned: 4.23.15 breaks oclif 4 silently).
// oclif.manifest.json must be fresh (npm run build) or new flags/commands will be missing.
if (process.env.DEBUG) process.env.DEBUG += ',-ioredis:*,-oclif:*,-@oclif/*' // see bin/run.js
const {execute} = await import('@oclif/core')

await execute({development: true, dir: import.meta.url})
