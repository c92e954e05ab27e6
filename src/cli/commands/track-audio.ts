// `ledgerline track audio <id> <file>`: gives a catalog track its recording (content hash,
// duration, fingerprint). An embedded data directory is held by the server running on it, so
// with --server the file goes through that server's POST /v1/tracks/:id/audio; without, the
// command opens the data itself and, when a server holds it, says which server and how.

import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { MAX_AUDIO_BYTES } from '../../audio/index.ts';
import { attachAudio } from '../../fingerprint/index.ts';
import { CommonErrors, isLedgerlineError, LedgerlineError } from '../../shared/index.ts';
import { act, callerFor, EXIT, print, withDataOptions, withJson, withRuntime, type GlobalOptions, type Io } from '../context.ts';
import { readSmallFile } from '../files.ts';

type Opts = GlobalOptions & { org?: string; server?: string; key?: string; json?: boolean };

async function viaServer(io: Io, o: Opts & { server: string }, id: string, file: string): Promise<number> {
  if (!o.key) throw new LedgerlineError(CommonErrors.BAD_INPUT, '--server needs --key (or LEDGERLINE_API_KEY): an operator key of the organisation');
  const body = await readSmallFile(file, MAX_AUDIO_BYTES);
  const url = new URL(`/v1/tracks/${encodeURIComponent(id)}/audio`, o.server);
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${o.key}`, 'content-type': 'application/octet-stream' }, body: new Uint8Array(body) as Uint8Array<ArrayBuffer> });
  const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const message = `${o.server} answered ${res.status}: ${String(answer.detail ?? answer.title ?? res.statusText)}${answer.code ? ` [${String(answer.code)}]` : ''}`;
    io.err(o.json ? JSON.stringify({ error: { code: answer.code ?? null, message, details: null } }) : `ledgerline: ${message}`);
    return res.status < 500 ? EXIT.usage : EXIT.failure;
  }
  print(io, o.json, answer);
  return EXIT.ok;
}

export function addTrackAudioCommand(track: Command, io: Io, state: { code: number }): void {
  withJson(withDataOptions(track.command('audio').argument('<id>', 'track id').argument('<file>', 'the audio file')))
    .description("give a track its recording (content hash, duration, fingerprint), directly or through a running server's API")
    .option('--org <org>', 'organisation slug or id (without --server)')
    .addOption(new Option('--server <url>', 'send it through this running ledgerline server').env('LEDGERLINE_URL'))
    .addOption(new Option('--key <key>', 'an operator API key, with --server').env('LEDGERLINE_API_KEY'))
    .action(
      act(state, async (id: string, file: string, o: Opts) => {
        if (o.server) return viaServer(io, { ...o, server: o.server }, id, file);
        if (!o.org) throw new LedgerlineError(CommonErrors.BAD_INPUT, 'name the organisation with --org, or send the file through a running server with --server URL --key KEY');
        const org = o.org;
        try {
          return await withRuntime(o, async (rt) => {
            print(io, o.json, await attachAudio(await rt.fingerprints(), await callerFor(rt, org), id, { path: resolve(file) }));
          });
        } catch (err) {
          // withRuntime names the server that holds the data; this command can go through it.
          const held = isLedgerlineError(err) ? err.details?.server : undefined;
          if (typeof held !== 'string') throw err;
          const e = err as LedgerlineError;
          throw new LedgerlineError(e, `data directory ${String(e.details?.dataDir)} is in use. The server at ${held} holds it: run again with --server ${held} --key <operator key>`, e.details);
        }
      }),
    );
}
