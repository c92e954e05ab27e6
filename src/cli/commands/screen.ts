// `ledgerline screen FILE_OR_DIR... --org ORG [--artist] [--title] [--uploader] [--ddex FILE]
// [--json]`: screens files as uploads through the same intake and job as the API, on every core,
// and prints one line per file in input order: {"file","decision","signals","policyVersion"}.
// A file screened before (same uploader, same audio) answers with its standing decision.

import { availableParallelism } from 'node:os';
import { basename, extname } from 'node:path';
import { Command } from 'commander';
import { readErn, type ErnRecording } from '../../catalog/ddex/index.ts';
import { resolveOrganisation } from '../../catalog/index.ts';
import { getUpload, plainName, receiveUpload, ScreeningErrors, type UploadView } from '../../screening/index.ts';
import { LedgerlineError, isLedgerlineError } from '../../shared/index.ts';
import { act, cliActor, EXIT, progress, withDataOptions, withJson, withRuntime, type GlobalOptions, type Io } from '../context.ts';
import { expandAudioPaths, readSmallFile } from '../files.ts';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';

type ScreenOpts = GlobalOptions & { org: string; artist?: string; title?: string; uploader: string; ddex?: string; containsAi?: string; new?: boolean };

/** The recording of the ERN message a file is: the only one, or the one titled as the file is named. */
function recordingFor(file: string, recordings: ErnRecording[]): ErnRecording | null {
  if (recordings.length === 1) return recordings[0]!;
  const name = plainName(basename(file, extname(file)));
  return recordings.find((r) => plainName(r.title) === name) ?? null;
}

function metadataFor(file: string, o: ScreenOpts, recordings: ErnRecording[] | null) {
  const title = o.title ?? basename(file, extname(file));
  if (!recordings) return { title, artist: o.artist ?? null, containsAi: o.containsAi ?? null, isrc: null };
  const rec = recordingFor(file, recordings);
  if (!rec) throw new LedgerlineError(ScreeningErrors.BAD_UPLOAD, `${file}: no recording of the DDEX message is titled "${basename(file, extname(file))}"`);
  const contradiction = (field: string, given: string | undefined, ddex: string | null) => {
    if (given !== undefined && ddex !== null && plainName(given) !== plainName(ddex)) {
      throw new LedgerlineError(ScreeningErrors.BAD_UPLOAD, `${file}: --${field} "${given}" contradicts the DDEX message ("${ddex}")`, { field });
    }
  };
  contradiction('title', o.title, rec.title);
  contradiction('artist', o.artist, rec.displayArtist);
  contradiction('contains-ai', o.containsAi, rec.containsAi);
  return { title: rec.title, artist: rec.displayArtist ?? o.artist ?? null, containsAi: rec.containsAi ?? o.containsAi ?? null, isrc: rec.isrc };
}

export function screenCommand(io: Io, state: { code: number }): Command {
  const cmd = withJson(withDataOptions(new Command('screen')))
    .argument('<fileOrDir...>', 'audio files or directories (searched recursively)')
    .description('screen files as uploads: duplicates, impostors, AI vs disclosure, consent, spam; one line per file')
    .requiredOption('--org <org>', 'organisation slug or id')
    .option('--artist <name>', 'the artist profile the files are delivered to')
    .option('--title <title>', 'the title (default: the file name)')
    .option('--uploader <id>', 'the uploader account', 'cli')
    .option('--contains-ai <value>', 'declared AI content: All, Partly or None')
    .option('--ddex <file>', 'an ERN message describing the files (title, artist, ISRC, ContainsAI)')
    .option('--new', 'send a file this uploader sent before as a new upload (by default its first upload and decision are shown)');
  cmd.action(
    act(state, async (paths: string[], o: ScreenOpts) => {
      const { files, missing } = await expandAudioPaths(paths);
      for (const m of missing) io.err(`ledgerline: ${m}: no such file or directory`);
      const recordings = o.ddex ? readErn(await readSmallFile(o.ddex, 20 * 1024 * 1024)).recordings : null;
      let failures = missing.length;
      await withRuntime(
        o,
        async (rt) => {
          const org = await resolveOrganisation(rt, o.org);
          const caller = { orgId: org.id, actor: cliActor() };
          const deps = rt.screening;
          await rt.queue.start();
          const tick = progress(io, 'screening');
          // Everything is received first so every core works; answers come back in input order.
          const received: ({ file: string; id: string; reused: boolean } | { file: string; error: LedgerlineError })[] = [];
          const startedAt = rt.clock.now().toISOString();
          for (const file of files) {
            try {
              const meta = metadataFor(file, o, recordings);
              const bytes = await readFile(file);
              // The same file from the same uploader is the same upload (a retried command doubles
              // nothing) unless --new says it is another.
              const clientKey = o.new ? null : createHash('sha256').update(bytes).digest('hex');
              const u = await receiveUpload(deps, caller, bytes, { uploader: o.uploader, ...(clientKey ? { clientKey } : {}), ...meta });
              const reused = u.receivedAt < startedAt;
              if (reused) {
                const changed = [
                  meta.title !== u.title ? `title "${meta.title}" (it has "${u.title}")` : null,
                  (meta.artist ?? null) !== u.artist ? `artist "${meta.artist}" (it has "${u.artist}")` : null,
                  (meta.containsAi ?? null) !== u.metadata.containsAi ? `ContainsAI ${meta.containsAi} (it has ${u.metadata.containsAi})` : null,
                ].filter(Boolean);
                io.err(
                  `ledgerline: ${file}: ${o.uploader} sent this file before as upload ${u.id} (${u.receivedAt}); showing that upload's decision` +
                    (changed.length ? `, which does not take the ${changed.join(', ')} given now` : '') +
                    '; --new sends it as a new upload',
                );
              }
              received.push({ file, id: u.id, reused });
            } catch (err) {
              if (!isLedgerlineError(err)) throw err;
              received.push({ file, error: err });
            }
          }
          let done = 0;
          for (const r of received) {
            if ('error' in r) {
              failures++;
              if (o.json) io.out(JSON.stringify({ file: r.file, error: { code: r.error.code, message: r.error.message } }));
              else io.err(`ledgerline: ${r.error.message} [${r.error.code}]`);
              tick(++done, received.length);
              continue;
            }
            let u: UploadView;
            for (;;) {
              u = await getUpload(deps, caller, r.id);
              if (u.status !== 'queued') break;
              await new Promise((res) => setTimeout(res, 100));
            }
            tick(++done, received.length);
            const last = u.decisions.at(-1);
            if (u.status === 'failed') {
              failures++;
              if (o.json) io.out(JSON.stringify({ file: r.file, uploadId: u.id, status: 'failed', error: u.error }));
              else io.err(`ledgerline: ${r.file}: ${u.error}`);
              continue;
            }
            const line = {
              file: r.file,
              uploadId: u.id,
              reused: r.reused,
              decision: u.decision,
              signals: (last?.signals ?? []).map((s) => ({ name: s.name, severity: s.severity, evidence: s.evidence })),
              policyVersion: last?.policyVersion ?? null,
            };
            if (o.json) io.out(JSON.stringify(line));
            else io.out(`${r.file}: ${u.decision}${line.signals.length ? ` — ${line.signals.map((s) => `${s.name} (${s.severity}): ${s.evidence.text}`).join('; ')}` : ''}`);
          }
        },
        availableParallelism(),
      );
      if (failures > 0) return files.length + missing.length === failures ? EXIT.usage : EXIT.failure;
      return EXIT.ok;
    }),
  );
  return cmd;
}
