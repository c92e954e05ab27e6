// `ledgerline demo`: the quick start. On first run it creates a demo organisation with a small
// catalog and one API key per role, prints the keys once, then serves the API on the embedded
// store.

import { Command } from 'commander';
import { createApiKey, ROLES, type CreatedKey } from '../../auth/index.ts';
import { createOrganisation, importCatalog } from '../../catalog/index.ts';
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

async function seed(rt: Runtime): Promise<CreatedKey[] | null> {
  if (await rt.store.repos.catalog.findOrganisation(DEMO_SLUG)) return null;
  const org = await createOrganisation(rt, cliActor(), { slug: DEMO_SLUG, name: 'Demo Label Group' });
  await importCatalog(rt, { orgId: org.id, actor: cliActor() }, DEMO_CATALOG);
  const keys: CreatedKey[] = [];
  for (const role of ROLES) keys.push(await createApiKey(rt.store, rt.clock, cliActor(), { orgId: org.id, role, name: `demo ${role}` }));
  return keys;
}

export function demoCommand(io: Io, state: { code: number }): Command {
  return addServeOptions(new Command('demo'))
    .description('create a demo organisation, catalog and keys (first run only), then serve the API')
    .option('--no-serve', 'seed and exit')
    .action(
      act(state, async (o: ServeFlags & { serve: boolean }) => {
        const report = async (rt: Runtime) => {
          const keys = await seed(rt);
          if (!keys) {
            io.err(`demo organisation "${DEMO_SLUG}" exists already; its keys were shown once. New key: ledgerline keys create --org ${DEMO_SLUG} --role operator`);
            return;
          }
          io.out(`Demo organisation "${DEMO_SLUG}" created with 2 artists, 4 rights holders, 1 release, 2 tracks.`);
          io.out('API keys (shown once, store them now):');
          for (const k of keys) io.out(`  ${k.role.padEnd(14)} ${k.key}`);
          io.out(`Try: curl -H "Authorization: Bearer ${keys[0]!.key}" http://${o.host}:${o.port}/v1/tracks`);
        };
        if (!o.serve) return withRuntime(o, report);
        return runServer(io, o, report);
      }),
    );
}
