// A process killed (SIGKILL) in the middle of allocating a period leaves the whole allocation or
// none of it: never part of the revenues allocated, never an unbalanced ledger.

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import * as catalog from '../../src/catalog/index.ts';
import { openRuntime } from '../../src/runtime/index.ts';
import { addRevenue, allocatePeriod, verifyLedger } from '../../src/royalties/index.ts';
import { systemClock } from '../../src/shared/index.ts';
import { ingestStreams } from '../../src/streams/index.ts';

const REVENUES = 300;
let dir = '';
afterAll(async () => rm(dir, { recursive: true, force: true }));

it('leaves all of an allocation or none of it when the process is killed', async () => {
  dir = await mkdtemp(join(tmpdir(), 'll-crash-'));
  const data = join(dir, 'data');
  let rt = await openRuntime({ dataDir: data, threads: 1 });
  const org = await catalog.createOrganisation(rt.catalog, 'test', { slug: 'crash', name: 'crash' });
  const caller = { orgId: org.id, actor: 'test' };
  const deps = { store: rt.store, clock: systemClock };
  const holder = await catalog.createRightsHolder(deps, caller, { name: 'h', kind: 'other' });
  const lines: string[] = [];
  for (let i = 0; i < 20; i++) {
    const track = await catalog.createTrack(deps, caller, { title: `t${i}`, isrc: `GBCRS26${String(i).padStart(5, '0')}` });
    await catalog.setSplit(deps, caller, track.id, 'master', [{ rightsHolderId: holder.id, percent: 100 }]);
    for (let s = 0; s < 10; s++) lines.push(JSON.stringify({ eventId: `e${i}-${s}`, listener: `l${s}`, isrc: `GBCRS26${String(i).padStart(5, '0')}`, startedAt: '2026-11-05T10:00:00Z', msPlayed: 60_000, service: `svc${s}` }));
  }
  await ingestStreams(await rt.streams(), caller, lines.join('\n'), 'ndjson');
  for (let r = 0; r < REVENUES; r++) await addRevenue(rt.royalties, caller, { source: 'streams', period: '2026-11', currency: 'EUR', amountMinor: 1000 + r, service: `svc${r % 10}`, key: `rev-${r}` });
  await rt.close();

  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-child.ts'), data, org.id], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('begin')) setTimeout(resolve, 400);
    });
    child.on('exit', () => resolve());
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.on('close', r));

  rt = await openRuntime({ dataDir: data, threads: 1 });
  try {
    const allocations = await rt.store.db.selectFrom('ledger_entries').select('key').where('org_id', '=', org.id).where('source_kind', '=', 'allocation').execute();
    expect([0, REVENUES]).toContain(allocations.length);
    expect((await verifyLedger(rt.royalties, caller)).ok).toBe(true);
    // Run again, it completes the allocation exactly once.
    await allocatePeriod(rt.royalties, caller, '2026-11');
    const after = await rt.store.db.selectFrom('ledger_entries').select('key').where('org_id', '=', org.id).where('source_kind', '=', 'allocation').execute();
    expect(after).toHaveLength(REVENUES);
    expect((await verifyLedger(rt.royalties, caller)).ok).toBe(true);
  } finally {
    await rt.close();
  }
}, 180_000);
