import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // CI compares the counts of two runs (with and without sox/ffmpeg/xmllint on PATH) from this file.
    reporters: process.env.LEDGERLINE_TEST_REPORT ? ['default', ['json', { outputFile: process.env.LEDGERLINE_TEST_REPORT }]] : ['default'],
    // The service's ffmpeg fallback runs on the ffmpeg that arrives with `npm ci`, never the
    // system's, so a machine without ffmpeg runs every test the same (test/helpers/tools.ts).
    env: {
      LEDGERLINE_FFMPEG: (require('@ffmpeg-installer/ffmpeg') as { path: string }).path,
      LEDGERLINE_FFPROBE: (require('@ffprobe-installer/ffprobe') as { path: string }).path,
    },
  },
});
