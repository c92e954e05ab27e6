// Builds the real API over a real store for inject()-based tests, with one organisation
// seeded per call to `seedOrg`: a small catalog and a key for every role.

import type { FastifyInstance } from 'fastify';
import { createApiKey, ROLES, type Role, type ThrottleLimits } from '../../src/auth/index.ts';
import { buildApp } from '../../src/api/index.ts';
import * as catalog from '../../src/catalog/index.ts';
import { systemClock } from '../../src/shared/index.ts';
import type { FingerprintDeps } from '../../src/fingerprint/index.ts';
import type { JobQueue } from '../../src/jobs/index.ts';
import { REDIS_URL } from './env.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { setConsent } from '../../src/consent/index.ts';
import * as licensing from '../../src/licensing/index.ts';
import { composeRuntime, type Runtime } from '../../src/runtime/index.ts';
import { openTestStore, type TestEngine, type TestStore } from './store.ts';

export interface SeededOrg {
  orgId: string;
  keys: Record<Role, string>;
  keyIds: string[];
  artistId: string;
  rightsHolderId: string;
  releaseId: string;
  trackId: string;
  slug: string;
  licenseeId: string;
  licenseId: string;
  manifestId: string;
  /** Every id of this organisation, to check that none leaks to another. */
  ids: string[];
}

export interface TestApp {
  app: FastifyInstance;
  ts: TestStore;
  seedOrg(slug: string): Promise<SeededOrg>;
  fingerprints(): Promise<FingerprintDeps>;
  /** The job queue behind uploads; not started until a test starts it. */
  queue: JobQueue;
  /** The runtime the app was put together from. */
  rt: Runtime;
  close(): Promise<void>;
}

/** `queueKind` picks the queue behind uploads: the jobs table, or BullMQ on the test Redis. */
/**
 * `throttle` sets the failed-authentication limits; by default they are out of reach, because
 * the role tests send every route hundreds of bad keys from one address on purpose.
 */
export async function buildTestApp(engine: TestEngine = 'pglite', queueKind: 'table' | 'bullmq' = 'table', throttle: ThrottleLimits = { windowMs: 60_000, perAddress: 1e9, perKeyId: 1e9 }): Promise<TestApp> {
  const ts = await openTestStore(engine);
  const uploadsDir = await mkdtemp(join(tmpdir(), 'll-uploads-'));
  // The service put together as the runtime puts it together; the queue owns the pool, and
  // screening tests start it when they want uploads decided.
  const rt = composeRuntime(ts.store, {
    threads: 2,
    uploadsDir,
    keysDir: join(uploadsDir, '..', `${uploadsDir.split('/').pop()}-keys`),
    pollMs: 50,
    authThrottle: throttle,
    // Test webhook receivers listen on loopback: allowed here as an operator would allow them.
    webhookTargets: { allow: ['127.0.0.1'] },
    ...(queueKind === 'bullmq' ? { redisUrl: REDIS_URL, queuePrefix: `llt-${randomBytes(4).toString('hex')}` } : {}),
  });
  const { queue, fingerprints, consent } = rt;
  const app = await buildApp(rt);
  const deps = { store: ts.store, clock: systemClock };
  return {
    app,
    ts,
    async seedOrg(slug) {
      const org = await catalog.createOrganisation(deps, 'test', { slug, name: slug });
      const c = { orgId: org.id, actor: 'test' };
      const artist = await catalog.createArtist(deps, c, { name: `${slug} artist` });
      const holder = await catalog.createRightsHolder(deps, c, { name: `${slug} label`, kind: 'label' });
      const release = await catalog.createRelease(deps, c, { title: `${slug} EP`, artistId: artist.id });
      const track = await catalog.createTrack(deps, c, {
        title: `${slug} track`,
        artistId: artist.id,
        releaseId: release.id,
        isrc: 'GBAAA2600001',
        durationMs: 180_000,
        contentHash: createHash('sha256').update(slug).digest('hex'),
      });
      await catalog.setSplit(deps, c, track.id, 'master', [{ rightsHolderId: holder.id, percent: 100 }]);
      const licensee = await licensing.createLicensee(rt.licensing, c, { slug: `${slug}-ai`, name: `${slug} AI` });
      const subjects: Partial<Record<Role, string>> = { rights_holder: holder.id, artist: artist.id, licensee: licensee.id };
      const keys = {} as Record<Role, string>;
      const keyIds: string[] = [];
      for (const role of ROLES) {
        const k = await createApiKey(ts.store, systemClock, 'test', { orgId: org.id, role, subjectId: subjects[role] ?? null });
        keys[role] = k.key;
        keyIds.push(k.id);
      }
      // One consented track, one license and one manifest, so every licensing route has something to act on.
      await setConsent(consent, { ...c, role: 'rights_holder', subjectId: holder.id }, { level: 'track', isrc: 'GBAAA2600001', use: 'ai_training', state: 'allowed' });
      const license = await licensing.createLicense(rt.licensing, c, { licensee: licensee.slug, uses: ['ai_training'], territories: ['Worldwide'] });
      const { manifest } = await licensing.requestDataset(rt.licensing, { ...c, role: 'operator', subjectId: null }, license.id, { use: 'ai_training', territory: 'GB' });
      return {
        orgId: org.id,
        keys,
        keyIds,
        artistId: artist.id,
        rightsHolderId: holder.id,
        releaseId: release.id,
        trackId: track.id,
        slug,
        licenseeId: licensee.id,
        licenseId: license.id,
        manifestId: manifest.header.id,
        ids: [org.id, artist.id, holder.id, release.id, track.id, licensee.id, license.id, manifest.header.id, ...keyIds, artist.name, holder.name, release.title, track.title],
      };
    },
    fingerprints,
    queue,
    rt,
    async close() {
      await app.close();
      await queue.close({ graceMs: 0 });
      await rm(uploadsDir, { recursive: true, force: true });
      await ts.cleanup();
    },
  };
}

export const auth = (key: string) => ({ authorization: `Bearer ${key}` });
