// `ledgerline catalog add FILE_OR_DIR...` and `ledgerline match FILE_OR_DIR...`: put audio in the
// catalog with its fingerprint, and find catalog tracks in audio — also sped up, pitch-shifted,
// re-encoded, noisy or cut. Both decode on all cores; progress goes to stderr.

import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { createOrganisation, resolveOrganisation } from '../../catalog/index.ts';
import { addTracks, matchFiles } from '../../fingerprint/index.ts';
import type { Runtime } from '../../runtime/index.ts';
import { act, cliActor, EXIT, progress, withDataOptions, withJson, withRuntime, type GlobalOptions, type Io } from '../context.ts';
import { expandAudioPaths } from '../files.ts';

const ALL_THREADS = availableParallelism();

/** The organisation a catalog command acts in: --org, else the only one, else "default" (created on first use). */
async function orgFor(rt: Runtime, org: string | undefined): Promise<string> {
  if (org) return (await resolveOrganisation(rt, org)).id;
  const all = await rt.store.repos.catalog.listOrganisations();
  if (all.length === 1) return all[0]!.id;
  const existing = all.find((o) => o.slug === 'default');
  if (existing) return existing.id;
  return (await createOrganisation(rt, cliActor(), { slug: 'default', name: 'Default organisation' })).id;
}

type AddOpts = GlobalOptions & { artist?: string; title?: string; isrc?: string; org?: string };

export function addCatalogAddCommand(catalog: Command, io: Io, state: { code: number }): void {
  withJson(withDataOptions(catalog.command('add').argument('<fileOrDir...>', 'audio files or directories (searched recursively)')))
    .description('add audio files as catalog tracks with their fingerprints')
    .option('--artist <name>', 'artist of every track (found or created by name)')
    .option('--title <title>', 'title (one file only; default: the file name without extension)')
    .option('--isrc <isrc>', 'ISRC (one file only)')
    .option('--org <org>', 'organisation (default: the only one, else "default")')
    .action(
      act(state, async (paths: string[], o: AddOpts) => {
        const { files, missing } = await expandAudioPaths(paths);
        return withRuntime(
          o,
          async (rt) => {
            const orgId = await orgFor(rt, o.org);
            const report = await addTracks(await rt.fingerprints(), { orgId, actor: cliActor() }, files, {
              artist: o.artist,
              title: o.title,
              isrc: o.isrc,
              onProgress: progress(io, 'fingerprinting'),
            });
            report.failed.unshift(...missing.map((file) => ({ file, error: 'no such file or directory' })));
            if (o.json) io.out(JSON.stringify(report));
            else {
              for (const a of report.added) io.out(`added ${a.trackId}  ${a.title}  (${a.durationSeconds.toFixed(1)} s)  ${a.file}`);
              for (const f of report.failed) io.out(`failed ${f.file}: ${f.error}`);
            }
            if (report.added.length === 0 && report.failed.length > 0) return EXIT.usage;
            return report.failed.length > 0 ? EXIT.failure : EXIT.ok;
          },
          ALL_THREADS,
        );
      }),
    );
}

export function matchCommand(io: Io, state: { code: number }): Command {
  const cmd = withJson(withDataOptions(new Command('match')))
    .argument('<fileOrDir...>', 'audio files or directories (searched recursively)')
    .description('find catalog tracks in audio files: one JSON line per file with --json')
    .option('--org <org>', "only this organisation's tracks");
  cmd.action(
    act(state, async (paths: string[], o: GlobalOptions & { org?: string }) => {
      const { files, missing } = await expandAudioPaths(paths);
      let failures = missing.length;
      for (const m of missing) io.err(`ledgerline: ${m}: no such file or directory`);
      return withRuntime(
        o,
        async (rt) => {
          const orgId = o.org ? (await resolveOrganisation(rt, o.org)).id : undefined;
          for await (const r of matchFiles(await rt.fingerprints(), files, orgId)) {
            if (r.error) {
              failures++;
              if (o.json) io.out(JSON.stringify({ file: r.file, error: r.error.message }));
              else io.err(`ledgerline: ${r.file}: ${r.error.message}`);
              continue;
            }
            const rep = r.report!;
            if (o.json) io.out(JSON.stringify(rep));
            else if (rep.matches.length === 0) io.out(`${rep.file}: no match`);
            else
              for (const m of rep.matches) {
                io.out(
                  `${rep.file}: ${m.title}${m.artist ? ` — ${m.artist}` : ''} (score ${m.score}, ${m.expected} chance matches this strong expected) query ${m.queryStart}-${m.queryEnd} s = track ${m.refStart}-${m.refEnd} s, speed ${m.speed}, pitch ${m.pitchCents} c, tempo ${m.tempo}`,
                );
              }
          }
          if (failures > 0) return files.length + missing.length === failures ? EXIT.usage : EXIT.failure;
          return EXIT.ok;
        },
        ALL_THREADS,
      );
    }),
  );
  return cmd;
}
