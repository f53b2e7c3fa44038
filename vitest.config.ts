import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    // Integration files each start their own clusters; two at a time fit 2 cores.
    maxWorkers: 2,
    fileParallelism: true,
  },
})
