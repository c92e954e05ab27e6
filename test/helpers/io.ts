// Captures what a command prints, for in-process CLI tests.

import type { Io } from '../../src/cli/context.ts';

export function captureIo(): Io & { stdout(): string; stderr(): string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (t) => out.push(t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => err.push(t.endsWith('\n') ? t : `${t}\n`),
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}
