import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/{unit,store,domain,api,simulator,fuzz}/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    setupFiles: ['test/setup/no-crashes.ts'],
    // Waits are conditions with a deadline (expect.poll / vi.waitFor), generous enough for a loaded 2-core machine.
    expect: { poll: { timeout: 10_000, interval: 20 } },
  },
});
