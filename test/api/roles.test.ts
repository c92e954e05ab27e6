// Walks every route with every role: 401 without a key, 403 for a role the route does not
// admit, success for one it does, and nothing of another organisation ever visible.

import { randomUUID } from 'node:crypto';
import { addRevenue } from '../../src/royalties/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/auth/index.ts';
import * as catalog from '../../src/catalog/index.ts';
import { createApiKey } from '../../src/auth/index.ts';
import { systemClock } from '../../src/shared/index.ts';
import { auth, buildTestApp, type SeededOrg, type TestApp } from '../helpers/app.ts';
import { synthMusic, wavBytes } from '../helpers/audio.ts';
import { ern432 } from '../helpers/ddex.ts';
import { receiveUpload } from '../../src/screening/index.ts';
import { submitOutput } from '../../src/attribution/index.ts';
import { registerRun } from '../../src/licensing/index.ts';

interface Case {
  /** Path parameters for the route; called per request so destructive routes get a fresh target. */
  params(org: SeededOrg): Promise<Record<string, string>>;
  body?: () => unknown;
  contentType?: string;
  /** A query string the route requires, with its leading "?". */
  query?: (org: SeededOrg) => string | Promise<string>;
}

function send(c: Case): { payload?: string | Buffer; headers?: Record<string, string> } {
  if (!c.body) return {};
  const b = c.body();
  if (typeof b === 'string') return { payload: b, headers: { 'content-type': c.contentType ?? 'text/plain' } };
  if (b instanceof Uint8Array) return { payload: Buffer.from(b), headers: { 'content-type': c.contentType ?? 'application/octet-stream' } };
  return { payload: JSON.stringify(b), headers: { 'content-type': 'application/json' } };
}

let t: TestApp;
let A: SeededOrg;
let B: SeededOrg;
let isrcCounter = 100;
let audioSeed = 1000;

async function fresh(org: SeededOrg) {
  const deps = { store: t.ts.store, clock: systemClock };
  const c = { orgId: org.orgId, actor: 'test' };
  return {
    artist: (await catalog.createArtist(deps, c, { name: 'tmp' })).id,
    holder: (await catalog.createRightsHolder(deps, c, { name: 'tmp', kind: 'other' })).id,
    release: (await catalog.createRelease(deps, c, { title: 'tmp' })).id,
    track: (await catalog.createTrack(deps, c, { title: 'tmp' })).id,
    key: (await createApiKey(t.ts.store, systemClock, 'test', { orgId: org.orgId, role: 'reviewer' })).id,
  };
}

const none = async () => ({});

/** A new revenue of the organisation, for a correction to act on. */
async function revenueOf(org: SeededOrg): Promise<string> {
  return (await addRevenue(t.rt.royalties, { orgId: org.orgId, actor: 'test' }, { source: 'streams', period: '2026-10', currency: 'EUR', amountMinor: 100, service: 'tidal', key: `c${++isrcCounter}` })).id;
}

/** A new open finding of the organisation, for a review route to act on. */
async function findingOf(org: SeededOrg): Promise<string> {
  const id = randomUUID();
  const at = new Date().toISOString();
  await t.ts.store.repos.streams.insertFinding({ id, orgId: org.orgId, key: id, kind: 'lockstep', periodFrom: at, periodTo: at, accounts: [], tracks: [], streams: 0, evidence: {}, status: 'open', reviewedBy: null, reviewedAt: null, note: null, createdAt: at }, []);
  return id;
}
const CASES: Record<string, Case> = {
  'GET /health': { params: none },
  'GET /openapi.json': { params: none },
  'GET /v1/org': { params: none },
  'PATCH /v1/org': { params: none, body: () => ({ name: 'Renamed' }) },
  'GET /v1/keys': { params: none },
  'POST /v1/keys': { params: none, body: () => ({ role: 'reviewer' }) },
  'DELETE /v1/keys/:id': { params: async (o) => ({ id: (await fresh(o)).key }) },
  'GET /v1/artists': { params: none },
  'POST /v1/artists': { params: none, body: () => ({ name: 'New' }) },
  'GET /v1/artists/:id': { params: async (o) => ({ id: o.artistId }) },
  'PATCH /v1/artists/:id': { params: async (o) => ({ id: o.artistId }), body: () => ({ verified: true }) },
  'DELETE /v1/artists/:id': { params: async (o) => ({ id: (await fresh(o)).artist }) },
  'GET /v1/rights-holders': { params: none },
  'POST /v1/rights-holders': { params: none, body: () => ({ name: 'New', kind: 'publisher' }) },
  'GET /v1/rights-holders/:id': { params: async (o) => ({ id: o.rightsHolderId }) },
  'PATCH /v1/rights-holders/:id': { params: async (o) => ({ id: o.rightsHolderId }), body: () => ({ name: 'Renamed' }) },
  'DELETE /v1/rights-holders/:id': { params: async (o) => ({ id: (await fresh(o)).holder }) },
  'GET /v1/releases': { params: none },
  'POST /v1/releases': { params: none, body: () => ({ title: 'New' }) },
  'GET /v1/releases/:id': { params: async (o) => ({ id: o.releaseId }) },
  'PATCH /v1/releases/:id': { params: async (o) => ({ id: o.releaseId }), body: () => ({ title: 'Renamed' }) },
  'DELETE /v1/releases/:id': { params: async (o) => ({ id: (await fresh(o)).release }) },
  'GET /v1/tracks': { params: none },
  'POST /v1/tracks': { params: none, body: () => ({ title: 'New', isrc: `GBZZZ26${String(isrcCounter++).padStart(5, '0')}` }) },
  'GET /v1/tracks/:id': { params: async (o) => ({ id: o.trackId }) },
  'PATCH /v1/tracks/:id': { params: async (o) => ({ id: o.trackId }), body: () => ({ durationMs: 1000 }) },
  'DELETE /v1/tracks/:id': { params: async (o) => ({ id: (await fresh(o)).track }) },
  'GET /v1/releases/:id/deals': { params: async (o) => ({ id: o.releaseId }) },
  'GET /v1/tracks/:id/splits': { params: async (o) => ({ id: o.trackId }) },
  'PUT /v1/tracks/:id/splits/:kind': {
    params: async (o) => ({ id: o.trackId, kind: 'master' }),
    body: () => ({ shares: [{ rightsHolderId: currentOrg!.rightsHolderId, percent: '100' }] }),
  },
  'GET /v1/audit': { params: none },
  'POST /v1/match': { params: none, body: () => wavBytes([synthMusic(3)], 44100), contentType: 'audio/wav' },
  // Each call gives a fresh track audio no other track has.
  'POST /v1/tracks/:id/audio': { params: async (o) => ({ id: (await fresh(o)).track }), body: () => wavBytes([synthMusic(3, 44100, ++audioSeed)], 44100), contentType: 'audio/wav' },
  'POST /v1/detect': { params: none, body: () => wavBytes([synthMusic(3)], 44100), contentType: 'audio/wav' },
  'GET /v1/audit/verify': { params: none },
  // A voice is the artist's to decide, training the rights holders'.
  'PUT /v1/consent': { params: none, body: () => ({ level: 'track', isrc: ISRC, use: currentRole === 'artist' ? 'voice_clone' : 'ai_training', state: 'notAllowed' }) },
  'GET /v1/consent/check': { params: none, query: () => `?isrc=${ISRC}&use=ai_training&licensee=x-ai` },
  'POST /v1/consent/check': { params: none, body: () => ({ isrcs: [ISRC, 'GBZZZ2699999', 'bad'], use: 'ai_training' }) },
  'GET /v1/consent/history': { params: none, query: () => `?isrc=${ISRC}` },
  'GET /v1/consent/cawg': { params: none, query: () => `?isrc=${ISRC}` },
  'POST /v1/consent/signals': { params: none, body: () => ({ format: 'ai.txt', source: 'partner.example', content: 'User-Agent: *\nDisallow: /nothing-of-ours' }) },
  'GET /.well-known/tdmrep.json': { params: none },
  'GET /tdm/policies/:org/:file': { params: async (o) => ({ org: o.slug, file: `${ISRC}.json` }) },
  'GET /ai.txt': { params: none },
  'POST /v1/licensees': { params: none, body: () => ({ slug: `lic-${isrcCounter++}`, name: 'New licensee' }) },
  'GET /v1/licensees': { params: none },
  'POST /v1/licenses': { params: none, body: () => ({ licensee: `${currentOrg!.slug}-ai`, uses: ['ai_training'], territories: ['GB'] }) },
  'GET /v1/licenses': { params: none },
  'POST /v1/licenses/:id/datasets': { params: async (o) => ({ id: o.licenseId }), body: () => ({ use: 'ai_training', territory: 'FR' }) },
  'GET /v1/manifests/:id': { params: async (o) => ({ id: o.manifestId }) },
  'GET /v1/manifests/:id/proof': { params: async (o) => ({ id: o.manifestId }), query: () => `?isrc=${ISRC}` },
  'POST /v1/manifests/:id/runs': { params: async (o) => ({ id: o.manifestId }), body: () => ({ modelName: 'tide', modelVersion: '1', startedAt: new Date(Date.now() + 1000).toISOString() }) },
  'GET /v1/revocations': { params: none },
  'GET /v1/signing-keys': { params: none },
  'POST /v1/ddex': { params: none, body: () => ern432({ icpn: '4006381333931', tracks: [{ isrc: `GBNWR26${String(isrcCounter++).padStart(5, '0')}`, title: 'Drift', seconds: 200 }] }), contentType: 'application/xml' },
  'POST /v1/uploads': { params: none, query: () => `?uploader=u1&title=Tide%20${isrcCounter++}`, body: () => wavBytes([synthMusic(2)], 44100), contentType: 'audio/wav' },
  'POST /v1/uploads/ddex': { params: none, body: () => ern432({ icpn: '5012345678900', tracks: [{ isrc: 'GBANN2600001', title: 'Announced', seconds: 100 }] }), contentType: 'application/xml' },
  'GET /v1/uploads': { params: none },
  'GET /v1/uploads/:id': { params: async (o) => ({ id: await heldUpload(o) }) },
  'POST /v1/uploads/:id/reverse': { params: async (o) => ({ id: await heldUpload(o) }), body: () => ({ decision: 'accept', reason: 'cleared' }) },
  'POST /v1/uploads/:id/rescreen': { params: async (o) => ({ id: await heldUpload(o) }) },
  'POST /v1/uploads/:id/appeal': { params: async (o) => ({ id: await heldUpload(o) }), body: () => ({ reason: 'it is mine' }) },
  'GET /v1/review': { params: none },
  'POST /v1/review/:id/claim': { params: async (o) => ({ id: await heldUpload(o) }) },
  // Decided by the reviewer who claimed it: the caller claims first (a role that may not gets 403 on both).
  'POST /v1/review/:id/decide': {
    params: async (o) => {
      const id = await heldUpload(o);
      if (currentOrg && currentRole) await t.app.inject({ method: 'POST', url: `/v1/review/${id}/claim`, headers: auth(currentOrg.keys[currentRole]) });
      return { id };
    },
    body: () => ({ decision: 'label', reason: 'AI, disclosed after contact' }),
  },
  'POST /v1/outputs': { params: none, query: async (o) => `?run=${await runOf(o)}&title=Out%20${isrcCounter++}`, body: () => wavBytes([synthMusic(3, 44100, ++audioSeed)], 44100), contentType: 'audio/wav' },
  'GET /v1/outputs/:id': { params: async (o) => ({ id: await outputOf(o) }) },
  'GET /v1/attributions': { params: none, query: (o) => `?track=${o.trackId}` },
  'POST /v1/streams': {
    params: none,
    body: () => JSON.stringify({ eventId: `ev-${++isrcCounter}`, listener: 'l1', isrc: 'GBAAA2600001', startedAt: '2026-11-20T10:00:00Z', msPlayed: 40_000, service: 'tidal' }),
    contentType: 'application/x-ndjson',
  },
  'POST /v1/streams/scan': { params: none, body: () => ({ from: '2026-11-01', to: '2026-12-01' }) },
  'GET /v1/streams/findings': { params: none },
  'POST /v1/streams/findings/:id/review': { params: async (o) => ({ id: await findingOf(o) }), body: () => ({ decision: 'confirm' }) },
  'POST /v1/royalties/revenue': { params: none, body: () => ({ source: 'streams', period: '2026-10', currency: 'EUR', amountMinor: 100, service: 'tidal', key: `r${++isrcCounter}` }) },
  'POST /v1/royalties/revenue/batch': { params: none, body: () => ({ reports: [{ source: 'streams', period: '2026-10', currency: 'EUR', amountMinor: 100, service: 'tidal', key: `r${++isrcCounter}` }] }) },
  'POST /v1/royalties/allocate': { params: none, body: () => ({ period: '2026-10' }) },
  'POST /v1/royalties/revenue/:id/correct': { params: async (o) => ({ id: await revenueOf(o) }), body: () => ({ period: '2026-10', amountMinor: 50 }) },
  'POST /v1/royalties/release': { params: none, body: () => ({ period: '2026-10' }) },
  'POST /v1/royalties/periods/:period/close': { params: async () => ({ period: `2025-${String(1 + (++isrcCounter % 12)).padStart(2, '0')}` }) },
  'POST /v1/royalties/payouts': { params: none, body: () => ({ period: '2026-10', reference: `p${++isrcCounter}` }) },
  'GET /v1/royalties/statements': { params: none, query: (o) => `?holder=${o.rightsHolderId}&period=2026-10` },
  'GET /v1/royalties/balances': { params: none },
  'GET /v1/royalties/artist-statement': { params: none, query: (o) => `?artist=${o.artistId}&period=2026-10` },
  'GET /v1/royalties/invoice': { params: none, query: (o) => `?licensee=${o.licenseeId}` },
  'GET /v1/ledger/verify': { params: none },
  'POST /v1/privacy/export': { params: none, body: () => ({ listener: 'l1' }) },
  'POST /v1/privacy/erase': { params: none, body: () => ({ listener: 'l2' }) },
  'POST /v1/privacy/consents': { params: none, body: () => ({ listener: 'l1', purpose: 'analytics', allowed: false }) },
  'POST /v1/privacy/audience': { params: none, body: () => ({ recipient: `r${++isrcCounter}`, isrcs: ['GBAAA2600001'], countries: ['GB'], from: '2026-11-01', to: '2026-12-01', epsilon: 0.01 }) },
  'PUT /v1/uploaders/:uploader/artists/:artistId': { params: async (o) => ({ uploader: 'u1', artistId: o.artistId }) },
  'GET /v1/releases/:id/ddex': {
    params: async (o) => ({ id: o.releaseId }),
    query: () => '?senderDpid=PADPIDA2014120301X&senderName=Label&recipientDpid=PADPIDA2009101501Y&recipientName=DSP',
  },
};
const ISRC = 'GBAAA2600001';

/** A training run on the organisation's seeded manifest (its licensee's), made once. */
const runs = new Map<string, Promise<string>>();
function runOf(o: SeededOrg): Promise<string> {
  if (!runs.has(o.orgId)) {
    const who = { orgId: o.orgId, actor: 'test', role: 'operator' as const, subjectId: null };
    runs.set(o.orgId, registerRun(t.rt.licensing, who, o.manifestId, { modelName: 'tide', modelVersion: '1', startedAt: new Date(Date.now() + 1000).toISOString() }).then((r) => r.id));
  }
  return runs.get(o.orgId)!;
}

/** An output the organisation's licensee submitted (queued: the queue is not started here), made once, before other routes withdraw the manifest's consent. */
const outputs = new Map<string, Promise<string>>();
function outputOf(o: SeededOrg): Promise<string> {
  if (!outputs.has(o.orgId)) {
    const submit = async () =>
      (await submitOutput(await t.rt.attribution(), { orgId: o.orgId, actor: 'test', licenseeId: o.licenseeId }, wavBytes([synthMusic(3, 44100, ++audioSeed)], 44100), { runId: await runOf(o), title: 'out' })).id;
    outputs.set(o.orgId, submit());
  }
  return outputs.get(o.orgId)!;
}

/** An upload of the organisation, decided by screening (hold_for_review) and in the review queue. */
async function heldUpload(o: SeededOrg): Promise<string> {
  const u = await receiveUpload(screeningDeps(), { orgId: o.orgId, actor: 'test' }, wavBytes([synthMusic(2)], 44100), { uploader: 'u1', title: `held ${isrcCounter++}` });
  const now = new Date().toISOString();
  await t.ts.store.transaction(async (r) => {
    await r.screening.insertDecision(o.orgId, u.id, { round: 1, source: 'screening', decision: 'hold_for_review', policyVersion: 'test', signals: [], applied: [], facts: {}, actor: 'test', reason: null, decidedAt: now });
    await r.screening.setOutcome(o.orgId, u.id, { status: 'decided', decision: 'hold_for_review', error: null, at: now, notify: false });
    await r.screening.openReview(o.orgId, u.id, 'test', now);
  });
  return u.id;
}
const screeningDeps = () => t.rt.screening;
let currentOrg: SeededOrg | null = null;
let currentRole: Role | null = null;

const fill = async (url: string, params: Record<string, string>, c?: Case, org?: SeededOrg) =>
  url.replace(/:(\w+)/g, (_, k: string) => params[k] ?? `missing-${k}`) + (c?.query && org ? await c.query(org) : '');

beforeAll(async () => {
  t = await buildTestApp('pglite');
  A = await t.seedOrg('org-a');
  B = await t.seedOrg('org-b');
  await outputOf(A);
});
afterAll(async () => {
  await t.close();
});

describe('every route, every role', () => {
  it('has a case for every registered route, and every route declares its roles', () => {
    const routes = t.app.routeTable.map((r) => `${r.method} ${r.url}`).sort();
    expect(routes.length).toBeGreaterThan(25);
    expect(routes).toEqual(Object.keys(CASES).sort());
  });

  it('answers 401 without a key, or with a malformed, unknown or revoked one', async () => {
    const revoked = await createApiKey(t.ts.store, systemClock, 'test', { orgId: A.orgId, role: 'operator' });
    const bad = [undefined, 'nonsense', `ll_aaaaaaaaaaaa_${'x'.repeat(43)}`, `${A.keys.operator.slice(0, -2)}xx`, revoked.key];
    await t.app.inject({ method: 'DELETE', url: `/v1/keys/${revoked.id}`, headers: auth(A.keys.operator) });
    for (const route of t.app.routeTable) {
      if (route.roles === 'public') continue;
      const params = await CASES[`${route.method} ${route.url}`]!.params(A);
      for (const key of bad) {
        const res = await t.app.inject({ method: route.method as 'GET', url: await fill(route.url, params, CASES[`${route.method} ${route.url}`], A), headers: key ? auth(key) : {} });
        expect(res.statusCode, `${route.method} ${route.url} with ${key ?? 'no key'}`).toBe(401);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    }
  });

  it('answers 403 to every role a route does not admit, and succeeds for every role it does', async () => {
    for (const route of t.app.routeTable) {
      const c = CASES[`${route.method} ${route.url}`]!;
      for (const role of ROLES) {
        currentOrg = A;
        currentRole = role;
        const params = await c.params(A);
        const body = send(c);
        const res = await t.app.inject({
          method: route.method as 'GET',
          url: await fill(route.url, params, c, A),
          headers: { ...auth(A.keys[role]), ...body.headers },
          payload: body.payload,
        });
        const label = `${route.method} ${route.url} as ${role}: ${res.body.slice(0, 200)}`;
        if (route.roles === 'public' || (route.roles as readonly Role[]).includes(role)) {
          expect(res.statusCode, label).toBeLessThan(300);
        } else {
          expect(res.statusCode, label).toBe(403);
          expect(res.json()).toMatchObject({ code: 'LL_AUTH_FORBIDDEN_ROLE' });
        }
      }
    }
  });

  it("never shows one organisation's data to another, whatever the role", async () => {
    for (const route of t.app.routeTable) {
      if (route.roles === 'public') continue;
      const c = CASES[`${route.method} ${route.url}`]!;
      for (const role of route.roles) {
        currentOrg = B;
        currentRole = role;
        // Org B's caller aims at org A's ids.
        const params = await c.params(A);
        const body = send(c);
        const url = await fill(route.url, params, c, A);
        const res = await t.app.inject({
          method: route.method as 'GET',
          url,
          headers: { ...auth(B.keys[role]), ...body.headers },
          payload: body.payload,
        });
        const label = `${route.method} ${route.url} as ${role} of B`;
        // The ids the caller itself sent, in the path or the query, may be echoed back (in
        // `instance`, in "no artist <id>"); anything else of A's must not appear.
        let seen = res.body;
        const queried = [...new URLSearchParams(url.split('?')[1] ?? '').values()];
        for (const sent of [...Object.values(params), ...queried]) seen = seen.split(sent).join('<sent>');
        for (const id of A.ids) expect(seen, label).not.toContain(id);
        if (route.url.includes(':id')) expect(res.statusCode, `${label}: ${res.body}`).toBe(404);
      }
    }
  });
});
