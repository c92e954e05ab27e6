// Compiles src/ to dist/ (run by `npm ci` and `npm install` through the `prepare` script, and
// before the tests), so a command starts without compiling TypeScript. Files that are not
// TypeScript (SQL migrations, the workers' plain-JS bootstrap) are copied beside the output.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) copyAssets(p);
    else if (!name.endsWith('.ts')) cpSync(p, join(root, 'dist', relative(join(root, 'src'), p)));
  }
}
copyAssets(join(root, 'src'));
