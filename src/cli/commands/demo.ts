// `ledgerline demo`: the quick start. On first run it creates a demo organisation with a small
// catalog, an AI developer with a training license, and one API key per role, each bound to the
// demo subject it speaks for (the label, the artist, the AI developer), prints the keys once,
// then serves the API on the embedded store. The README walks each role through one journey.

import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { encodeWav16 } from '../../audio/index.ts';
import { attachAudio } from '../../fingerprint/index.ts';
import { demoPiece } from './demo-audio.ts';
import { createApiKey, ROLES, type CreatedKey } from '../../auth/index.ts';
import { createOrganisation, importCatalog, listArtists, listRightsHolders, listTracks } from '../../catalog/index.ts';
import { createLicense, createLicensee } from '../../licensing/index.ts';
import type { Runtime } from '../../runtime/index.ts';
import { act, cliActor, withRuntime, type Io } from '../context.ts';
import { addServeOptions, runServer, type ServeFlags } from './serve.ts';

const DEMO_SLUG = 'demo';

const DEMO_CATALOG = {
  artists: [
    { ref: 'nova', name: 'Nova Lane', verified: true },
    { ref: 'kites', name: 'The Paper Kites Collective', verified: false },
  ],
  rightsHolders: [
    { ref: 'label', name: 'Lighthouse Records', kind: 'label' as const },
    { ref: 'nova-rh', name: 'Nova Lane', kind: 'artist' as const },
    { ref: 'pub', name: 'Harbour Songs Publishing', kind: 'publisher' as const },
    { ref: 'writer', name: 'J. Marlow', kind: 'songwriter' as const },
  ],
  releases: [{ ref: 'ep', title: 'Tidal EP', artist: 'nova', icpn: '5012345678900', releaseDate: '2026-03-06' }],
  tracks: [
    {
      title: 'Low Tide',
      isrc: 'GB-LHR-26-00001',
      artist: 'nova',
      release: 'ep',
      iswc: 'T-034.524.680-1',
      durationMs: 214_000,
      master: [
        { holder: 'label', percent: '80' },
        { holder: 'nova-rh', percent: '20' },
      ],
      publishing: [
        { holder: 'pub', percent: '33.3333', role: 'publisher' },
        { holder: 'writer', percent: '66.6667', role: 'composer' },
      ],
    },
    {
      title: 'Salt Lines',
      isrc: 'GB-LHR-26-00002',
      artist: 'nova',
      release: 'ep',
      durationMs: 187_500,
      master: [{ holder: 'label', percent: 100 }],
    },
  ],
};

const DEMO_LICENSEE = { slug: 'demo-ai-lab', name: 'Demo AI Lab' };

interface DemoKey extends CreatedKey {
  speaksFor: string | null;
}

interface Seeded {
  keys: DemoKey[];
  /** The recordings of the demo tracks, written for the quick start to upload. */
  audioDir: string;
}

/** Where the demo writes its recordings: beside the embedded data, or in the working directory. */
const audioDirOf = (rt: Runtime) => resolve(rt.store.engine === 'pglite' ? rt.store.location : '.', 'demo-audio');

async function seed(rt: Runtime): Promise<Seeded | null> {
  if (await rt.store.repos.catalog.findOrganisation(DEMO_SLUG)) return null;
  const org = await createOrganisation(rt, cliActor(), { slug: DEMO_SLUG, name: 'Demo Label Group' });
  const caller = { orgId: org.id, actor: cliActor() };
  await importCatalog(rt, caller, DEMO_CATALOG);
  const page = { limit: 100, offset: 0 };
  const artist = (await listArtists(rt, caller, page)).find((a) => a.name === 'Nova Lane')!;
  const label = (await listRightsHolders(rt, caller, page)).find((h) => h.name === 'Lighthouse Records')!;
  // Each track gets its recording, so screening finds re-uploads of it and manifests can list it.
  const audioDir = audioDirOf(rt);
  await mkdir(audioDir, { recursive: true, mode: 0o700 });
  const fingerprints = await rt.fingerprints();
  for (const [i, t] of (await listTracks(rt, caller, page)).sort((a, b) => a.title.localeCompare(b.title)).entries()) {
    const piece = demoPiece(40, 7 + i);
    const file = join(audioDir, `${t.title.toLowerCase().replace(/\W+/g, '-')}.wav`);
    await writeFile(file, encodeWav16([piece.samples], piece.rate));
    await attachAudio(fingerprints, caller, t.id, { path: file });
  }
  // And one recording the catalog does not have, for an upload that is new.
  const fresh = demoPiece(40, 99);
  await writeFile(join(audioDir, 'new-song.wav'), encodeWav16([fresh.samples], fresh.rate));
  const licensee = await createLicensee(rt.licensing, caller, DEMO_LICENSEE);
  await createLicense(rt.licensing, caller, { licensee: licensee.slug, uses: ['ai_training'], territories: ['Worldwide'] });
  const subjects: Record<string, { id: string; name: string }> = {
    rights_holder: { id: label.id, name: `rights holder ${label.name}` },
    artist: { id: artist.id, name: `artist ${artist.name}` },
    licensee: { id: licensee.id, name: `licensee ${licensee.name}` },
  };
  const keys: DemoKey[] = [];
  for (const role of ROLES) {
    const subject = subjects[role];
    const k = await createApiKey(rt.store, rt.clock, cliActor(), { orgId: org.id, role, name: `demo ${role}`, subjectId: subject?.id ?? null });
    keys.push({ ...k, speaksFor: subject?.name ?? null });
  }
  return { keys, audioDir };
}

export function demoCommand(io: Io, state: { code: number }): Command {
  return addServeOptions(new Command('demo'))
    .description('create a demo organisation, catalog and keys (first run only), then serve the API')
    .option('--no-serve', 'seed and exit')
    .action(
      act(state, async (o: ServeFlags & { serve: boolean }) => {
        const report = async (rt: Runtime) => {
          const seeded = await seed(rt);
          if (!seeded) {
            io.err(`demo organisation "${DEMO_SLUG}" exists already; its keys were shown once. New key: ledgerline keys create --org ${DEMO_SLUG} --role operator`);
            return;
          }
          const { keys, audioDir } = seeded;
          io.out(`Demo organisation "${DEMO_SLUG}" created with 2 artists, 4 rights holders, 1 release, 2 tracks, and licensee "${DEMO_LICENSEE.slug}" with an AI-training license.`);
          io.out(`The tracks' recordings are in ${audioDir}.`);
          io.out('API keys (shown once, store them now):');
          for (const k of keys) io.out(`  ${k.role.padEnd(14)} ${k.key}${k.speaksFor ? `  (speaks for ${k.speaksFor})` : ''}`);
          io.out('The README\'s quick start walks each role through one journey with these keys.');
          io.out(`Try: curl -H "Authorization: Bearer ${keys[0]!.key}" http://${o.host}:${o.port}/v1/tracks`);
        };
        if (!o.serve) return withRuntime(o, report);
        return runServer(io, o, report);
      }),
    );
}
