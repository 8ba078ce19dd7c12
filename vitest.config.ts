import { defineConfig } from 'vitest/config';

const tier = (name: string) => ({ extends: true as const, test: { name, include: [`tests/${name}/**/*.test.ts`] } });

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration and e2e files each start their own emulators and server; two cores, two workers.
    maxWorkers: 2,
    projects: [tier('unit'), tier('integration'), tier('infra'), tier('e2e')],
  },
});
