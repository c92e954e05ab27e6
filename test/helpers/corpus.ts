// The shared corpus for tests: ../shared/corpus or LEDGERLINE_CORPUS. Tests that need it say
// so clearly when it is absent instead of passing vacuously.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';

export const CORPUS = resolve(process.env.LEDGERLINE_CORPUS ?? join(import.meta.dirname, '../../../shared/corpus'));

export function corpusFile(name: string): string {
  const p = join(CORPUS, name);
  if (!existsSync(p)) throw new Error(`test corpus file ${p} is missing: put the shared corpus at ../shared/corpus or set LEDGERLINE_CORPUS`);
  return p;
}

export function requireTool(name: string): void {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
  } catch {
    try {
      execFileSync(name, ['-version'], { stdio: 'ignore' });
    } catch {
      throw new Error(`${name} is needed by this test; install it (Debian: apt-get install sox ffmpeg)`);
    }
  }
}

export const sox = (...args: string[]) => execFileSync('sox', args, { stdio: 'ignore' });
export const ffmpeg = (...args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], { stdio: 'ignore' });
