import vue from '@vitejs/plugin-vue';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests spawn real processes; two cores, so keep parallelism modest.
    maxWorkers: 2,
    reporters: ['default', 'json'],
    // `npm test` gives the e2e run its own file (--outputFile.json=…); .ci/run sums every file here.
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'engine',
          include: ['electron/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/reliability/**'],
        },
      },
      {
        // Storms, fuzzing and hostile clients against real engines (README.md, "Reliability").
        // `npm test` runs them at a small scale; `npm run test:reliability` at full scale.
        // One file at a time: each one loads the machine on purpose.
        extends: true,
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.reliability.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        // The window in Debian's Chromium against a real `switchboard serve` (playwright-core). `npm test`
        // runs it on its own after the other projects, one file at a time: the first-paint figure it
        // measures means nothing while other suites load both cores.
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        plugins: [vue()],
        test: { name: 'renderer', include: ['renderer/**/*.test.ts'], environment: 'happy-dom' },
      },
    ],
  },
});
