// The shared corpus for tests: ../shared/corpus or LEDGERLINE_CORPUS. Tests that need it say
// so clearly when it is absent instead of passing vacuously.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CORPUS = resolve(process.env.LEDGERLINE_CORPUS ?? join(import.meta.dirname, '../../../shared/corpus'));

export function corpusFile(name: string): string {
  const p = join(CORPUS, name);
  if (!existsSync(p)) throw new Error(`test corpus file ${p} is missing: put the shared corpus at ../shared/corpus or set LEDGERLINE_CORPUS`);
  return p;
}
