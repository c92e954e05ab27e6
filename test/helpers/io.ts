// Captures what a command prints, for in-process CLI tests.

import type { Io } from '../../src/cli/context.ts';
import { main } from '../../src/cli/index.ts';

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

/** Runs one command line in this process, against a database URL when given. */
export async function runMain(args: string[], databaseUrl?: string): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await main(databaseUrl ? [...args, '--database', databaseUrl] : args, io);
  return { code, out: io.stdout(), err: io.stderr() };
}
