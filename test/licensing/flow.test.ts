// The whole path, on the embedded store and on PostgreSQL: a real DDEX sample imported, consent
// set by its rights holder, checks, a licensee's dataset request answered with a signed
// manifest, an inclusion proof verified offline by the CLI with only the public key, a training
// run, a revocation and its notice, and the next request without the revoked track.

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/store.ts';
import { auth, buildTestApp, type SeededOrg, type TestApp } from '../helpers/app.ts';
import { runCli } from '../helpers/cli.ts';
import { BILLION_LAUGHS } from '../helpers/ddex.ts';

const DDEX = resolve(process.env.LEDGERLINE_DDEX ?? join(import.meta.dirname, '../../../shared/ddex'));
const FIRST = 'JPTO09404900';
const SECOND = 'JPTO09404910';

describe.each(ENGINES)('consent to revocation on %s', (engine) => {
  let t: TestApp;
  let org: SeededOrg;
  let emiKey = '';
  let acmeKey = '';
  let licenseId = '';
  let manifestId = '';
  const dir = mkdtempSync(join(tmpdir(), 'll-flow-'));
  const call = async (key: string, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await t.app.inject({ method: method as 'GET', url, headers: { ...auth(key), ...headers }, payload: payload as string });
    return { status: res.statusCode, body: String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body };
  };

  beforeAll(async () => {
    t = await buildTestApp(engine);
    org = await t.seedOrg('flow');
  }, 120_000);
  afterAll(async () => t.close());

  it('imports a real ERN 4.3 sample and binds a key to its label', async () => {
    const res = await call(org.keys.operator, 'POST', '/v1/ddex', readFileSync(join(DDEX, 'ern43/1_audio.xml')), { 'content-type': 'application/xml' });
    expect(res.status).toBe(200);
    expect(res.body.tracks).toHaveLength(21);
    const deals = await call(org.keys.operator, 'GET', `/v1/releases/${res.body.releases[0].id}/deals`);
    expect(deals.body[0]).toMatchObject({ territories: ['JP'], validFrom: '2004-04-01' });
    const holders = (await call(org.keys.operator, 'GET', '/v1/rights-holders')).body as { id: string; name: string }[];
    const emi = holders.find((h) => h.name === 'EMI MUSIC JAPAN INC.')!;
    emiKey = (await call(org.keys.operator, 'POST', '/v1/keys', { role: 'rights_holder', subjectId: emi.id })).body.key;
    for (const tr of res.body.tracks as { id: string; isrc: string }[]) {
      const patch = await call(org.keys.operator, 'PATCH', `/v1/tracks/${tr.id}`, { contentHash: createHash('sha256').update(tr.isrc).digest('hex') });
      expect(patch.status).toBe(200);
    }
    const licensee = await call(org.keys.operator, 'POST', '/v1/licensees', { slug: 'acme-ai', name: 'Acme AI' });
    acmeKey = (await call(org.keys.operator, 'POST', '/v1/keys', { role: 'licensee', subjectId: licensee.body.id })).body.key;
  });

  it('lets the rights holder set consent and answers checks with the deciding rule', async () => {
    const set = await call(emiKey, 'PUT', '/v1/consent', {
      level: 'rights_holder',
      id: (await call(org.keys.operator, 'GET', '/v1/rights-holders')).body.find((h: { name: string }) => h.name === 'EMI MUSIC JAPAN INC.').id,
      use: 'ai_training',
      state: 'constrained',
      terms: [{ licensees: ['acme-ai'], territories: ['JP', 'GB'], compensationRequired: true }],
    });
    expect(set.status).toBe(201);
    expect((await call(emiKey, 'PUT', '/v1/consent', { level: 'track', isrc: SECOND, use: 'ai_training', state: 'notAllowed' })).status).toBe(201);

    const ok = await call(acmeKey, 'GET', `/v1/consent/check?isrc=${FIRST}&use=ai_training&licensee=acme-ai&territory=JP`);
    expect(ok.body).toMatchObject({ allowed: true, compensationRequired: true, decidedBy: { kind: 'rule', level: 'rights_holder', version: set.body.version, term: 0 } });
    const other = await call(acmeKey, 'GET', `/v1/consent/check?isrc=${FIRST}&use=ai_training&licensee=beta-ai&territory=JP`);
    expect(other.body.allowed).toBe(false);
    expect(other.body.reason).toMatch(/licensee beta-ai is not among acme-ai/);
    const track = await call(acmeKey, 'GET', `/v1/consent/check?isrc=${SECOND}&use=ai_training&licensee=acme-ai&territory=JP`);
    expect(track.body).toMatchObject({ allowed: false, decidedBy: { level: 'track' } });

    const isrcs = Array.from({ length: 21 }, (_, i) => `JPTO0940${String(4900 + i * 10).padStart(4, '0')}`);
    isrcs[19] = 'JPTO09332840';
    isrcs[20] = 'JPTO09332830';
    const batch = await call(acmeKey, 'POST', '/v1/consent/check', { isrcs: [...isrcs, 'JPXX00000001'], use: 'ai_training', licensee: 'acme-ai', territory: 'JP' });
    const results = batch.body.results as { allowed?: boolean; error?: { code: string } }[];
    expect(results.filter((r) => r.allowed === true)).toHaveLength(20);
    expect(results.filter((r) => r.allowed === false)).toHaveLength(1);
    expect(results[21]!.error!.code).toBe('LL_CONSENT_UNKNOWN_ISRC');
  });

  it('refuses consent changes from anyone but the rights holder, and bad consent input, with problem+json', async () => {
    expect((await call(org.keys.operator, 'PUT', '/v1/consent', { level: 'track', isrc: FIRST, use: 'ai_training', state: 'allowed' })).body.code).toBe('LL_AUTH_FORBIDDEN_ROLE');
    expect((await call(org.keys.rights_holder, 'PUT', '/v1/consent', { level: 'track', isrc: FIRST, use: 'ai_training', state: 'allowed' })).body).toMatchObject({ status: 403, code: 'LL_CONSENT_FORBIDDEN' });
    expect((await call(org.keys.artist, 'PUT', '/v1/consent', { level: 'track', isrc: FIRST, use: 'ai_training', state: 'allowed' })).body).toMatchObject({ status: 403, code: 'LL_CONSENT_FORBIDDEN' });
    expect((await call(emiKey, 'PUT', '/v1/consent', { level: 'track', isrc: 'JPXX00000001', use: 'ai_training', state: 'allowed' })).body).toMatchObject({ status: 404, code: 'LL_CONSENT_UNKNOWN_ISRC' });
    // A voice is its artist's: the track's own rights holder may not allow cloning it.
    const voice = await call(emiKey, 'PUT', '/v1/consent', { level: 'track', isrc: FIRST, use: 'voice_clone', state: 'allowed' });
    expect(voice.body).toMatchObject({ status: 403, code: 'LL_CONSENT_FORBIDDEN', detail: expect.stringMatching(/voice_clone is the artist's to decide/) });
    expect((await call(emiKey, 'PUT', '/v1/consent', { level: 'track', isrc: FIRST, use: 'mind_reading', state: 'allowed' })).status).toBe(400);
    const overlap = await call(emiKey, 'PUT', '/v1/consent', { level: 'track', isrc: FIRST, use: 'inference', state: 'constrained', terms: [{ licensees: ['acme-ai'] }, { territories: ['JP'] }] });
    expect(overlap.body).toMatchObject({ status: 400, code: 'LL_CONSENT_OVERLAPPING_TERMS' });
    const past = await call(emiKey, 'PUT', '/v1/consent', { level: 'track', isrc: FIRST, use: 'inference', state: 'allowed', effectiveAt: '2020-01-01T00:00:00Z' });
    expect(past.body).toMatchObject({ status: 400, code: 'LL_CONSENT_BAD_TIME' });
    expect((await call(acmeKey, 'GET', `/v1/consent/check?isrc=${FIRST}&use=ai_training&territory=EU`)).body.code).toBe('LL_CONSENT_BAD_TERRITORY');
    const foreign = await call(org.keys.operator, 'POST', '/v1/keys', { role: 'rights_holder', subjectId: '00000000-0000-4000-8000-000000000000' });
    expect(foreign.body).toMatchObject({ status: 400, code: 'LL_AUTH_BAD_SUBJECT' });
    const dtd = await call(org.keys.operator, 'POST', '/v1/ddex', BILLION_LAUGHS, { 'content-type': 'application/xml' });
    expect(dtd.body).toMatchObject({ status: 400, code: 'LL_DDEX_DTD' });
    const json = await call(org.keys.operator, 'POST', '/v1/ddex', { not: 'xml' });
    expect(json.body).toMatchObject({ code: 'LL_HTTP_UNSUPPORTED_MEDIA_TYPE' });
    const empty = await call(org.keys.operator, 'POST', '/v1/ddex', '', { 'content-type': 'application/xml' });
    expect(empty.body).toMatchObject({ status: 400, code: 'LL_DDEX_MALFORMED' });
  });

  it('answers a dataset request with a signed manifest of exactly the consented tracks, verifiable offline', async () => {
    const lic = await call(org.keys.operator, 'POST', '/v1/licenses', { licensee: 'acme-ai', uses: ['ai_training'], territories: ['JP'], fee: { currency: 'EUR', amountMinor: 150, per: 'track' } });
    expect(lic.status).toBe(201);
    licenseId = lic.body.id;
    expect((await call(acmeKey, 'POST', `/v1/licenses/${licenseId}/datasets`, { use: 'ai_training', territory: 'GB' })).body.code).toBe('LL_LICENSING_BAD_REQUEST');
    const answer = await call(acmeKey, 'POST', `/v1/licenses/${licenseId}/datasets`, { use: 'ai_training', territory: 'JP' });
    expect(answer.status).toBe(201);
    const manifest = answer.body.manifest;
    manifestId = manifest.header.id;
    // The 20 sample tracks the label allowed, and the seeded track whose rights holder allowed everyone.
    expect(manifest.entries.map((e: { isrc: string }) => e.isrc)).not.toContain(SECOND);
    expect(manifest.entries.map((e: { isrc: string }) => e.isrc)).toContain('GBAAA2600001');
    expect(manifest.header.count).toBe(21);
    expect(answer.body.excluded).toEqual({ notAllowed: 1, compensationUnpaid: 0, noIsrc: 0, noAudio: 0 });

    const keys = (await t.app.inject({ method: 'GET', url: '/v1/signing-keys' })).json();
    writeFileSync(join(dir, 'key.pem'), keys[0].publicKeyPem);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const proof = await runCli(['manifest', 'proof', join(dir, 'manifest.json'), FIRST, '--out', join(dir, 'proof.json')]);
    expect(proof.code, proof.stderr).toBe(0);
    const verify = await runCli(['manifest', 'verify', join(dir, 'proof.json'), '--public-key', join(dir, 'key.pem')]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/ok {3}inclusion: JPTO09404900 is in manifest/);
    const absent = await runCli(['manifest', 'proof', join(dir, 'manifest.json'), SECOND, '--out', join(dir, 'absent.json')]);
    expect(absent.code).toBe(0);
    const absentCheck = await runCli(['manifest', 'verify', join(dir, 'absent.json'), '--public-key', join(dir, 'key.pem'), '--json']);
    expect(JSON.parse(absentCheck.stdout)).toMatchObject({ ok: true });
    expect(JSON.parse(readFileSync(join(dir, 'absent.json'), 'utf8')).kind).toBe('non-inclusion');

    const tampered = structuredClone(manifest);
    tampered.entries[0].contentHash = 'f'.repeat(64);
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(tampered));
    const bad = await runCli(['manifest', 'verify', join(dir, 'tampered.json'), '--public-key', join(dir, 'key.pem')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL root: the entries hash to [0-9a-f]{64}, not the signed root/);

    const viaApi = await call(org.keys.artist, 'GET', `/v1/manifests/${manifestId}/proof?isrc=${FIRST}`);
    expect(viaApi.body.kind).toBe('inclusion');
  });

  it('notifies the licensee when consent is revoked, naming the manifest and its training runs, and excludes the track at once', async () => {
    const run = await call(acmeKey, 'POST', `/v1/manifests/${manifestId}/runs`, { modelName: 'tide-gen', modelVersion: '0.3', startedAt: new Date(Date.now() + 1000).toISOString() });
    expect(run.status).toBe(201);
    const before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const revoke = await call(emiKey, 'PUT', '/v1/consent', { level: 'track', isrc: FIRST, use: 'ai_training', state: 'notAllowed', note: 'artist request' });
    expect(revoke.status).toBe(201);
    const notices = (await call(acmeKey, 'GET', '/v1/revocations')).body as { isrc: string; manifestId: string; runs: { id: string }[]; reason: string }[];
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ isrc: FIRST, manifestId, runs: [{ id: run.body.id, modelName: 'tide-gen', modelVersion: '0.3' }] });
    expect(notices[0]!.reason).toMatch(/consent v\d+ \(notAllowed\)/);
    // Another licensee sees none of it.
    expect((await call(org.keys.licensee, 'GET', '/v1/revocations')).body).toEqual([]);

    const next = await call(acmeKey, 'POST', `/v1/licenses/${licenseId}/datasets`, { use: 'ai_training', territory: 'JP' });
    expect(next.body.manifest.header.count).toBe(20);
    expect(next.body.manifest.entries.map((e: { isrc: string }) => e.isrc)).not.toContain(FIRST);
    const asOf = await call(acmeKey, 'GET', `/v1/consent/check?isrc=${FIRST}&use=ai_training&licensee=acme-ai&territory=JP&at=${before}`);
    expect(asOf.body.allowed).toBe(true);
    const history = await call(emiKey, 'GET', `/v1/consent/history?isrc=${FIRST}`);
    expect(history.body.rules.map((r: { state: string }) => r.state)).toEqual(['notAllowed', 'constrained']);
    // Each version shows the key it came through and who issued that key: here the operator.
    const operatorKeyId = org.keys.operator.split('_')[1];
    for (const r of history.body.rules) expect(r).toMatchObject({ authorRole: 'rights_holder', authorKeyIssuedBy: `key:${operatorKeyId}` });
  });

  it('publishes the same answers as CAWG, TDMRep and ai.txt, and imports a partner reservation that outranks an earlier allowance', async () => {
    const cawg = await call(acmeKey, 'GET', `/v1/consent/cawg?isrc=${'JPTO09404920'}`);
    expect(cawg.body).toMatchObject({ label: 'cawg.training-mining', data: { entries: { 'cawg.ai_training': { use: 'constrained' }, 'cawg.data_mining': { use: 'notAllowed' } } } });
    expect(cawg.body.data.entries['cawg.ai_training'].constraint_info).toMatch(/licensees acme-ai; territories GB, JP; compensation required/);
    const tdm = (await t.app.inject({ method: 'GET', url: '/.well-known/tdmrep.json' })).json() as { location: string; 'tdm-reservation': number }[];
    expect(tdm.find((r) => r.location === '/catalog/flow/JPTO09404920')).toMatchObject({ 'tdm-reservation': 1 });
    expect(tdm.at(-1)).toEqual({ location: '/catalog/*', 'tdm-reservation': 1 });
    const policy = await t.app.inject({ method: 'GET', url: '/tdm/policies/flow/JPTO09404920.json', headers: { host: 'attacker.example' } });
    // The published documents name the service's own address, never the Host a client sent.
    expect(policy.body).not.toContain('attacker.example');
    expect(JSON.stringify((await t.app.inject({ method: 'GET', url: '/.well-known/tdmrep.json', headers: { host: 'attacker.example' } })).json())).not.toContain('attacker.example');
    expect(policy.headers['content-type']).toContain('application/ld+json');
    expect(policy.json()).toMatchObject({ '@type': 'Offer', profile: 'http://www.w3.org/ns/tdmrep' });
    const aiTxt = (await t.app.inject({ method: 'GET', url: '/ai.txt' })).body;
    expect(aiTxt).toContain('Disallow: /catalog/flow/JPTO09404920');

    const third = 'JPTO09404920';
    const imported = await call(org.keys.operator, 'POST', '/v1/consent/signals', {
      format: 'tdmrep',
      source: 'partner.example',
      content: JSON.stringify([{ location: `/music/${third}.flac`, 'tdm-reservation': 1 }, { location: '/other/thing', 'tdm-reservation': 1 }]),
    });
    expect(imported.body).toMatchObject({ tracks: 1, unmatched: ['/other/thing'] });
    const after = await call(acmeKey, 'GET', `/v1/consent/check?isrc=${third}&use=ai_training&licensee=acme-ai&territory=JP`);
    expect(after.body).toMatchObject({ allowed: false, decidedBy: { kind: 'signal', source: 'partner.example' } });
    const notices = (await call(acmeKey, 'GET', '/v1/revocations')).body as { isrc: string; reason: string }[];
    expect(notices.find((n) => n.isrc === third)?.reason).toMatch(/tdmrep reservation from partner.example/);
    // A later file without the track lifts nothing.
    await call(org.keys.operator, 'POST', '/v1/consent/signals', { format: 'tdmrep', source: 'partner.example', content: '[]' });
    expect((await call(acmeKey, 'GET', `/v1/consent/check?isrc=${third}&use=ai_training&licensee=acme-ai&territory=JP`)).body.allowed).toBe(false);
    // The recording can leave the catalog; the evidence about it stays.
    const [gone] = (await call(org.keys.operator, 'GET', `/v1/tracks?isrc=${third}`)).body as { id: string }[];
    expect((await call(org.keys.operator, 'DELETE', `/v1/tracks/${gone!.id}`)).status).toBe(204);
    expect(((await call(acmeKey, 'GET', '/v1/revocations')).body as { isrc: string }[]).some((n) => n.isrc === third)).toBe(true);
    expect((await call(acmeKey, 'GET', `/v1/consent/check?isrc=${third}&use=ai_training`)).body.code).toBe('LL_CONSENT_UNKNOWN_ISRC');
  });

  it('keeps all of it in an intact audit chain', async () => {
    await t.seedOrg('elsewhere');
    const v = await call(org.keys.operator, 'GET', '/v1/audit/verify');
    expect(v.body.ok).toBe(true);
    const entries = (await call(org.keys.operator, 'GET', '/v1/audit?limit=1000')).body as { action: string; seq: number; hash: string }[];
    // The counts and head are this organisation's own: nothing of other organisations' activity.
    expect(v.body).toMatchObject({ checked: entries.length, headSeq: entries.at(-1)!.seq, headHash: entries.at(-1)!.hash });
    const all = (await t.ts.store.repos.audit.readAfter(0, 1_000_000)).length;
    expect(all).toBeGreaterThan(entries.length + 10);
    const actions = new Set(entries.map((e) => e.action));
    for (const a of ['ddex.import', 'consent.set', 'license.create', 'manifest.issue', 'training_run.register', 'revocation.notice', 'consent.signals.import']) expect(actions).toContain(a);
  });
});
