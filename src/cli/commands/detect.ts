// `ledgerline detect FILE_OR_DIR... [--json] [--plot DIR]`: is this audio generated? One line per
// file (JSON with --json), decoded and judged on every core; --plot writes each file's evidence
// as SVG. Needs no data directory.

import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, extname, join } from 'node:path';
import { Command } from 'commander';
import { checkThreshold, DEFAULT_THRESHOLD, detectFiles, toReport } from '../../detect/index.ts';
import { WorkerPool } from '../../jobs/index.ts';
import { LedgerlineError } from '../../shared/index.ts';
import { act, EXIT, progress, withJson, type GlobalOptions, type Io } from '../context.ts';
import { expandAudioPaths } from '../files.ts';

type DetectOpts = GlobalOptions & { plot?: string; threshold?: string };

export function detectCommand(io: Io, state: { code: number }): Command {
  const cmd = withJson(new Command('detect'))
    .argument('<fileOrDir...>', 'audio files or directories (searched recursively)')
    .description('judge whether audio is AI-generated, with readable evidence: one JSON line per file with --json')
    .option('--plot <dir>', 'write the averaged spectrum with the comb marked to DIR/<file>.svg')
    .option('--threshold <score>', `score at or above which the verdict is "ai" (default ${DEFAULT_THRESHOLD})`);
  cmd.action(
    act(state, async (paths: string[], o: DetectOpts) => {
      const threshold = checkThreshold(o.threshold === undefined ? DEFAULT_THRESHOLD : Number(o.threshold));
      const { files, missing } = await expandAudioPaths(paths);
      let failures = missing.length;
      for (const m of missing) io.err(`ledgerline: ${m}: no such file or directory`);
      if (o.plot) await mkdir(o.plot, { recursive: true });
      const pool = new WorkerPool(availableParallelism());
      const report = progress(io, 'detecting');
      let done = 0;
      try {
        for await (const { item: file, result } of detectFiles(pool, files, { plot: Boolean(o.plot), threshold })) {
          report(++done, files.length);
          if (result instanceof Error) {
            failures++;
            const code = result instanceof LedgerlineError ? result.code : 'LL_INTERNAL';
            if (o.json) io.out(JSON.stringify({ file, error: { code, message: result.message } }));
            else io.err(`ledgerline: ${file}: ${result.message}`);
            continue;
          }
          const svg = Object.values(result.plots)[0];
          const plotFile = o.plot && svg ? join(o.plot, `${basename(file, extname(file))}.svg`) : undefined;
          if (plotFile) await writeFile(plotFile, svg!);
          const line = toReport(file, result, plotFile ? { plot: plotFile } : {});
          if (o.json) io.out(JSON.stringify(line));
          else io.out(`${file}: ${line.verdict}${line.score === null ? '' : ` (score ${line.score})`}: ${line.reason}`);
        }
      } finally {
        await pool.close();
      }
      if (failures > 0) return files.length + missing.length === failures ? EXIT.usage : EXIT.failure;
      return EXIT.ok;
    }),
  );
  return cmd;
}
