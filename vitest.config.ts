import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests spawn real processes; two cores, so keep parallelism modest.
    maxWorkers: 2,
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    projects: [
      {
        extends: true,
        test: { name: 'engine', include: ['electron/**/*.test.ts', 'test/**/*.test.ts'] },
      },
      {
        // The window in Debian's Chromium against a real `switchboard serve` (playwright-core).
        extends: true,
        test: { name: 'e2e', include: ['e2e/**/*.e2e.test.ts'], testTimeout: 120_000, hookTimeout: 60_000 },
      },
      {
        extends: true,
        plugins: [vue()],
        test: { name: 'renderer', include: ['renderer/**/*.test.ts'], environment: 'happy-dom' },
      },
    ],
  },
});
