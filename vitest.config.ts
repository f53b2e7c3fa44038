import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    // test/ holds the unit and integration suites; findings keep co-located unit tests in src/.
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    // Integration files each start their own clusters; two at a time fit 2 cores.
    maxWorkers: 2,
    fileParallelism: true,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['**/*.test.ts'],
      reporter: ['text-summary', 'html'],
    },
  },
})
