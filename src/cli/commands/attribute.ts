// `ledgerline attribute FILE_OR_DIR... --org ORG [--run RUN_ID] [--plot DIR] [--json]`: which catalog
// recordings and works generated outputs draw on, as shares with evidence; each file's result is
// stored as its output's next attribution version.

import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, extname, join } from 'node:path';
import { Command } from 'commander';
import { attributeOutput, reindexCompositions, timelineSvg, type AttributionResult } from '../../attribution/index.ts';
import { resolveOrganisation } from '../../catalog/index.ts';
import { act, cliActor, EXIT, withDataOptions, withJson, withRuntime, type GlobalOptions, type Io } from '../context.ts';
import { expandAudioPaths } from '../files.ts';

type Opts = GlobalOptions & { org: string; run?: string; plot?: string };

const percent = (ppm: number) => `${(ppm / 10_000).toFixed(2)}%`;

function describe(file: string, r: AttributionResult): string[] {
  const lines = [`${file}: ${r.durationSeconds.toFixed(1)} s`];
  for (const s of r.master.shares) lines.push(`  master ${percent(s.sharePpm)}  ${s.title}${s.isrc ? ` (${s.isrc})` : ''}: ${s.evidence.map((e) => `${e.outputStart}-${e.outputEnd} s = ${e.refStart}-${e.refEnd} s, speed ${e.speed}, strength ${e.strength}`).join('; ')}`);
  lines.push(`  master unattributed ${percent(r.master.unattributedPpm)}`);
  for (const s of r.composition.shares) lines.push(`  composition ${percent(s.sharePpm)}  ${s.title}${s.iswc ? ` (${s.iswc})` : ''}: ${s.evidence.map((e) => `${e.outputStart}-${e.outputEnd} s = ${e.refStart}-${e.refEnd} s, key ${e.keyShift > 0 ? '+' : ''}${e.keyShift}, tempo ×${e.tempoRatio}, strength ${e.strength}`).join('; ')}`);
  lines.push(`  composition unattributed ${percent(r.composition.unattributedPpm)}`);
  for (const u of r.unlicensed) lines.push(`  UNLICENSED ${u.layer}: track ${u.trackId}, ${u.evidence.length} segment(s)`);
  return lines;
}

export function attributeCommand(io: Io, state: { code: number }): Command {
  const cmd = withJson(withDataOptions(new Command('attribute')))
    .argument('<fileOrDir...>', 'generated audio files or directories (searched recursively)')
    .description('which catalog recordings and works generated outputs draw on, as shares with evidence: one JSON line per file with --json')
    .requiredOption('--org <org>', 'organisation whose catalog is searched')
    .option('--run <runId>', 'training run that made the outputs: only its manifest’s tracks receive shares, others are reported as unlicensed')
    .option('--plot <dir>', "write each output's timeline, coloured by source, to DIR/<file>.svg");
  cmd.action(
    act(state, async (paths: string[], o: Opts) => {
      const { files, missing } = await expandAudioPaths(paths);
      let failures = missing.length;
      for (const m of missing) io.err(`ledgerline: ${m}: no such file or directory`);
      if (o.plot) await mkdir(o.plot, { recursive: true });
      return withRuntime(
        o,
        async (rt) => {
          const orgId = (await resolveOrganisation(rt, o.org)).id;
          const deps = await rt.attribution();
          for (const file of files) {
            try {
              const { result } = await attributeOutput(deps, { orgId, actor: cliActor() }, { path: file }, { runId: o.run ?? null, title: basename(file, extname(file)) });
              if (o.plot) await writeFile(join(o.plot, `${basename(file, extname(file))}.svg`), timelineSvg(basename(file), result));
              const { engineVersion: _engine, ...shown } = result;
              if (o.json) io.out(JSON.stringify({ file, ...shown }));
              else for (const line of describe(file, result)) io.out(line);
            } catch (err) {
              // A run that does not exist or is withdrawn fails every file alike: stop at once.
              if ((err as { code?: string }).code?.startsWith('LL_ATTRIBUTION_')) throw err;
              failures++;
              if (o.json) io.out(JSON.stringify({ file, error: (err as Error).message }));
              else io.err(`ledgerline: ${file}: ${(err as Error).message}`);
            }
          }
          if (failures > 0) return files.length + missing.length === failures ? EXIT.usage : EXIT.failure;
          return EXIT.ok;
        },
        availableParallelism(),
      );
    }),
  );
  return cmd;
}

/** `ledgerline attribution reindex FILE_OR_DIR... --org ORG`: the composition index of tracks added before it existed. */
export function attributionCommand(io: Io, state: { code: number }): Command {
  const cmd = new Command('attribution').description('the attribution indexes: reindex composition features from audio files');
  withJson(withDataOptions(cmd.command('reindex')))
    .argument('<fileOrDir...>', "catalog tracks' audio files (each found by its content hash)")
    .description("rebuild catalog tracks' composition features from their audio files")
    .requiredOption('--org <org>', 'organisation whose tracks these are')
    .action(
      act(state, async (paths: string[], o: GlobalOptions & { org: string }) => {
        const { files, missing } = await expandAudioPaths(paths);
        return withRuntime(
          o,
          async (rt) => {
            const orgId = (await resolveOrganisation(rt, o.org)).id;
            const report = await reindexCompositions(await rt.attribution(), { orgId, actor: cliActor() }, files);
            report.failed.unshift(...missing.map((file) => ({ file, error: 'no such file or directory' })));
            if (o.json) io.out(JSON.stringify(report));
            else {
              for (const x of report.indexed) io.out(`indexed ${x.trackId}  ${x.file}`);
              for (const f of report.failed) io.out(`failed ${f.file}: ${f.error}`);
            }
            if (report.indexed.length === 0 && report.failed.length > 0) return EXIT.usage;
            return report.failed.length > 0 ? EXIT.failure : EXIT.ok;
          },
          availableParallelism(),
        );
      }),
    );
  return cmd;
}
