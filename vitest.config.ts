import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    // Docker tests start real containers; give them room but keep the suite bounded.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
