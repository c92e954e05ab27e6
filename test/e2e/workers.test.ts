// Scaled mode end to end: jobs enqueued on Redis are shared by two `ledgerline worker`
// processes over one PostgreSQL database — fingerprint extraction, and whole upload screening
// (work on the workers' threads, decisions written by whichever worker took the job).

import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrganisation } from '../../src/catalog/index.ts';
import { addTracks } from '../../src/fingerprint/index.ts';
import { directoryBlobStore, receiveUpload, type Upload } from '../../src/screening/index.ts';
import { systemClock } from '../../src/shared/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullQueue, JobRegistry, WorkerPool } from '../../src/jobs/index.ts';
import { allJobs } from '../../src/runtime/jobs.ts';
import { queuePrefixFor } from '../../src/runtime/index.ts';
import { openStore, PgFingerprintIndex, type Repositories, type Store } from '../../src/store/index.ts';
import { startCli } from '../helpers/cli.ts';
import { REDIS_URL } from '../helpers/env.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { dropSchema, freshSchemaUrl, waitFor } from '../helpers/store.ts';

let url: string;
let schema: string;
let store: Store;
const prefix = `lle2e-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  ({ url, schema } = freshSchemaUrl());
  store = await openStore({ databaseUrl: url });
});
afterAll(async () => {
  await store.close();
  await dropSchema(schema);
});

describe('ledgerline worker', () => {
  it('two worker processes on one Redis share the jobs', async () => {
    // The worker processes key their queue by the schema too: two deployments on one Redis never share one.
    expect(queuePrefixFor(store, prefix)).toBe(`${prefix}:${schema}`);
    const queue = new BullQueue({ redisUrl: REDIS_URL, store, pool: new WorkerPool(1), registry: new JobRegistry<Repositories>(allJobs), prefix: queuePrefixFor(store, prefix) });
    const files = ['neverball__track1.ogg', 'neverball__track2.ogg', 'neverball__track3.ogg', 'neverball__track4.ogg', 'tsc__land-cave_1.ogg', 'tsc__land-land_1.ogg', 'tsc__game-lost_1.ogg', 'opensurge__intro.ogg'];
    const ids: string[] = [];
    for (const f of files) ids.push((await queue.enqueue('fingerprint.extract', { path: corpusFile(f) })).id);
    const env = { LEDGERLINE_QUEUE_PREFIX: prefix };
    const workers = [0, 1].map(() => startCli(['worker', '--database', url, '--redis', REDIS_URL, '--threads', '1'], env));
    try {
      await waitFor(async () => {
        const states = await Promise.all(ids.map((id) => queue.get(id)));
        return states.every((s) => s?.status === 'done');
      }, 60_000, 200).catch((err: Error) => {
        throw new Error(`${err.message}; workers said:\n${workers.map((w) => w.stderrSoFar()).join('\n---\n')}`);
      });
      const doneNow = () =>
        workers.map((w) =>
          w
            .stderrSoFar()
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as { job: { type: string; id: string } })
            .filter((l) => l.job.type === 'done')
            .map((l) => l.job.id),
        );
      // A worker logs a job done after the queue has marked it so, so the last line may lag.
      await waitFor(async () => doneNow().flat().length >= ids.length, 10_000, 100).catch(() => undefined);
      const done = doneNow();
      // Every job ran exactly once, and both processes took some.
      expect([...done[0]!, ...done[1]!].sort()).toEqual([...ids].sort());
      expect(done[0]!.length).toBeGreaterThan(0);
      expect(done[1]!.length).toBeGreaterThan(0);
      const result = (await queue.get(ids[0]!))!.result as { durationSeconds: number; hashes: { count: number } };
      expect(result.durationSeconds).toBeCloseTo(79.98, 1);
      expect(result.hashes.count).toBeGreaterThan(1000);
    } finally {
      for (const w of workers) w.child.kill('SIGTERM');
      const hardStop = setTimeout(() => workers.forEach((w) => w.child.kill('SIGKILL')), 20_000);
      const ended = await Promise.all(workers.map((w) => w.done));
      clearTimeout(hardStop);
      await queue.close({ graceMs: 0 });
      expect(ended.map((e) => e.code), ended.map((e) => e.stderr).join('\n---\n')).toEqual([0, 0]);
    }
  }, 180_000);

  it('two worker processes on one Redis share the screening of uploads, each decided once', async () => {
    const uploadsDir = mkdtempSync(join(tmpdir(), 'll-e2e-uploads-'));
    const pool = new WorkerPool(1);
    const queue = new BullQueue({ redisUrl: REDIS_URL, store, pool, registry: new JobRegistry<Repositories>(allJobs), prefix: queuePrefixFor(store, `${prefix}s`) });
    const org = await createOrganisation({ store, clock: systemClock }, 'test', { slug: 'scaled', name: 'Scaled' });
    const caller = { orgId: org.id, actor: 'test' };
    await addTracks({ store, clock: systemClock, index: new PgFingerprintIndex(store.db), pool }, caller, [corpusFile('neverball__track1.ogg')], { artist: 'Neverball' });
    const files = ['neverball__track1.ogg', 'neverball__track2.ogg', 'neverball__track3.ogg', 'tsc__land-cave_1.ogg', 'tsc__land-land_1.ogg', 'opensurge__intro.ogg'];
    const deps = { store, clock: systemClock, queue, blobs: directoryBlobStore(uploadsDir), newId: randomUUID, webhookTargets: { allow: [] }, webhookSecret: async () => 'unused' };
    const uploads: Upload[] = [];
    for (const f of files) uploads.push(await receiveUpload(deps, caller, readFileSync(corpusFile(f)), { uploader: 'u1', title: f, artist: 'Scaled Artist' }));
    const env = { LEDGERLINE_QUEUE_PREFIX: `${prefix}s`, LEDGERLINE_UPLOADS_DIR: uploadsDir };
    const workers = [0, 1].map(() => startCli(['worker', '--database', url, '--redis', REDIS_URL, '--threads', '1'], env));
    try {
      await waitFor(async () => {
        const states = await Promise.all(uploads.map((u) => store.repos.screening.getUpload(org.id, u.id)));
        return states.every((s) => s?.status === 'decided');
      }, 120_000, 200).catch((err: Error) => {
        throw new Error(`${err.message}; workers said:\n${workers.map((w) => w.stderrSoFar()).join('\n---\n')}`);
      });
      // A worker logs a job done after the job has stored its decision, so the last line may lag.
      const tookNow = () => workers.map((w) => w.stderrSoFar().split('\n').filter((l) => l.includes('"screening.screen"') && l.includes('"done"')).length);
      await waitFor(async () => tookNow()[0]! + tookNow()[1]! >= files.length, 10_000, 100).catch(() => undefined);
      const took = tookNow();
      expect(took[0]! + took[1]!).toBe(files.length);
      expect(took[0]).toBeGreaterThan(0);
      expect(took[1]).toBeGreaterThan(0);
      for (const u of uploads) expect(await store.repos.screening.decisions(org.id, u.id)).toHaveLength(1);
      expect((await store.repos.screening.getUpload(org.id, uploads[0]!.id))!.decision).toBe('reject');
    } finally {
      for (const w of workers) w.child.kill('SIGTERM');
      const hardStop = setTimeout(() => workers.forEach((w) => w.child.kill('SIGKILL')), 20_000);
      await Promise.all(workers.map((w) => w.done));
      clearTimeout(hardStop);
      await queue.close({ graceMs: 0 });
      rmSync(uploadsDir, { recursive: true, force: true });
    }
  }, 240_000);
});
