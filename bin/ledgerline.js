#!/usr/bin/env node
// Entry point. Runs the compiled JavaScript in dist/ (built by `npm ci` / `npm install` through
// the `prepare` script, and by `npm run build`), which starts in a fraction of the time that
// compiling TypeScript takes. When dist/ is missing or older than a source file (a checkout being
// edited), it runs the sources through tsx instead, so a command never runs stale code.
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function newestUnder(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    newest = Math.max(newest, e.isDirectory() ? newestUnder(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function built() {
  try {
    return statSync(`${root}/dist/.tsbuildinfo`).mtimeMs >= newestUnder(`${root}/src`);
  } catch {
    return false;
  }
}

let main;
if (process.env.LEDGERLINE_FROM_SOURCE !== '1' && built()) {
  ({ main } = await import('../dist/cli/index.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/index.ts'));
}
process.exitCode = await main(process.argv.slice(2));
