// npm run bench:cli — how long a `ledgerline` command takes from process start to exit, the way
// a user runs it (`node bin/ledgerline.js ...`), compiled (dist/, built by `npm ci`) and from the
// TypeScript sources through tsx (LEDGERLINE_FROM_SOURCE=1, as every start was before). Prints
// one JSON line: per command and mode, the median and worst of --runs N (default 7) in seconds,
// and the ratio source/compiled. `org list` opens the embedded database, whose WASM start-up is
// part of the figure. Builds dist/ first if it is stale.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const i = args.indexOf('--runs');
const RUNS = i >= 0 ? Number(args[i + 1]) : 7;
const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin/ledgerline.js');
execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });

const data = mkdtempSync(join(tmpdir(), 'll-bench-cli-'));
const commands: Record<string, string[]> = {
  help: ['--help'],
  'detect --help': ['detect', '--help'],
  'org list': ['org', 'list', '--data', join(data, 'db')],
};
// The first start creates the database; every measured one opens it.
spawnSync(process.execPath, [bin, ...commands['org list']!], { stdio: 'ignore' });

function time(argv: string[], fromSource: boolean): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, ...argv], { stdio: 'ignore', env: { ...process.env, LEDGERLINE_FROM_SOURCE: fromSource ? '1' : '0' } });
  if (r.status !== 0) throw new Error(`ledgerline ${argv.join(' ')} exited ${r.status}`);
  return (performance.now() - t0) / 1000;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const out: Record<string, unknown> = { runs: RUNS };
for (const [name, argv] of Object.entries(commands)) {
  const figures: Record<string, { median: number; max: number }> = {};
  for (const mode of ['compiled', 'source'] as const) {
    const t = Array.from({ length: RUNS }, () => time(argv, mode === 'source')).sort((a, b) => a - b);
    figures[mode] = { median: r3(t[Math.floor(RUNS / 2)]!), max: r3(t[RUNS - 1]!) };
  }
  out[name] = { ...figures, sourceOverCompiled: r3(figures.source!.median / figures.compiled!.median) };
  process.stderr.write(`${name}: ${JSON.stringify(out[name])}\n`);
}
rmSync(data, { recursive: true, force: true });
console.log(JSON.stringify(out));
