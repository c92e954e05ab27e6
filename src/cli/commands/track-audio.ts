// `ledgerline track audio <id> <file>`: gives a catalog track its recording (content hash,
// duration, fingerprint). An embedded data directory is held by the server running on it, so
// with --server the file goes through that server's POST /v1/tracks/:id/audio; without, the
// command opens the data itself and, when a server holds it, says which server and how.

import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { resolveOrganisation } from '../../catalog/index.ts';
import { attachAudio } from '../../fingerprint/index.ts';
import { CommonErrors, isLedgerlineError, LedgerlineError } from '../../shared/index.ts';
import { act, cliActor, EXIT, print, withDataOptions, withJson, withRuntime, type GlobalOptions, type Io } from '../context.ts';
import { readSmallFile } from '../files.ts';

/** Where a server on an embedded data directory says it listens (written by `serve`). */
export const SERVER_FILE = 'server.json';

type Opts = GlobalOptions & { org?: string; server?: string; key?: string; json?: boolean };

/** The largest audio file the API takes (src/api/audio-body.ts). */
const MAX_AUDIO_BYTES = 600 * 1024 * 1024;

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

/** The server that holds an embedded data directory, from the file it writes there. */
async function serverHolding(dataDir: string): Promise<string | null> {
  try {
    const { url } = JSON.parse(await readFile(join(dataDir, SERVER_FILE), 'utf8')) as { url?: unknown };
    return typeof url === 'string' ? url : null;
  } catch {
    return null;
  }
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
            const caller = { orgId: (await resolveOrganisation(rt, org)).id, actor: cliActor() };
            print(io, o.json, await attachAudio(await rt.fingerprints(), caller, id, { path: resolve(file) }));
          });
        } catch (err) {
          const held = isLedgerlineError(err) && err.code === 'LL_STORE_DATA_DIR_LOCKED' ? await serverHolding(String(err.details?.dataDir ?? '')) : null;
          if (!held) throw err;
          const dir = String((err as LedgerlineError).details?.dataDir);
          throw new LedgerlineError(err as LedgerlineError, `data directory ${dir} is in use. The server at ${held} holds it: run again with --server ${held} --key <operator key>`, (err as LedgerlineError).details);
        }
      }),
    );
}
