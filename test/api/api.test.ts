// The API's contract: problem+json for every kind of bad input with nothing half-written, a
// valid OpenAPI 3.1 document, request ids, and a server that keeps serving.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '@readme/openapi-parser';
import { auth, buildTestApp, type SeededOrg, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let A: SeededOrg;

beforeAll(async () => {
  t = await buildTestApp('pglite');
  A = await t.seedOrg('org-a');
});
afterAll(async () => {
  await t.close();
});

const auditCount = async () => (await t.ts.store.repos.audit.readAfter(0, 1_000_000)).length;

async function post(url: string, payload: unknown, extra: Record<string, string> = {}, method: 'POST' | 'PUT' | 'PATCH' = 'POST') {
  return t.app.inject({
    method,
    url,
    headers: { ...auth(A.keys.operator), 'content-type': 'application/json', ...extra },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

describe('bad input', () => {
  const cases: Array<[string, () => Promise<{ statusCode: number; json(): unknown; headers: Record<string, unknown> }>, number, string, RegExp?]> = [
    ['malformed JSON', () => post('/v1/artists', '{"name": "x",'), 400, 'LL_HTTP_MALFORMED_JSON'],
    ['an empty JSON body', () => post('/v1/artists', ''), 400, 'LL_HTTP_MALFORMED_JSON'],
    ['an unknown field', () => post('/v1/artists', { name: 'x', genre: 'pop' }), 400, 'LL_HTTP_VALIDATION', /body\.genre is not a known field/],
    ['a wrong type', () => post('/v1/tracks', { title: 'x', durationMs: '180000' }), 400, 'LL_HTTP_VALIDATION', /durationMs/],
    ['a missing field', () => post('/v1/rights-holders', { name: 'x' }), 400, 'LL_HTTP_VALIDATION', /kind/],
    ['an invalid ISRC', () => post('/v1/tracks', { title: 'x', isrc: 'XX-1' }), 422, 'LL_CATALOG_BAD_ISRC'],
    ['an ISWC with a wrong check digit', () => post('/v1/tracks', { title: 'x', iswc: 'T-034.524.680-2' }), 422, 'LL_CATALOG_BAD_ISWC', /expected 1/],
    ['a duplicate ISRC', () => post('/v1/tracks', { title: 'x', isrc: 'GB-AAA-26-00001' }), 409, 'LL_CATALOG_DUPLICATE_ISRC'],
    ['a wrong-typed query', () => t.app.inject({ url: '/v1/tracks?limit=lots', headers: auth(A.keys.operator) }), 400, 'LL_HTTP_VALIDATION'],
    ['an unknown query parameter', () => t.app.inject({ url: '/v1/tracks?colour=red', headers: auth(A.keys.operator) }), 400, 'LL_HTTP_VALIDATION'],
    ['an unknown route', () => t.app.inject({ url: '/v1/nope', headers: auth(A.keys.operator) }), 404, 'LL_HTTP_ROUTE_NOT_FOUND'],
    ['a non-JSON content type', () => post('/v1/artists', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'LL_HTTP_UNSUPPORTED_MEDIA_TYPE'],
    ['an oversized body', () => post('/v1/artists', { name: 'x'.repeat(2 * 1024 * 1024) }), 413, 'LL_HTTP_BODY_TOO_LARGE'],
  ];

  it.each(cases)('%s gets a precise problem+json and writes nothing', async (_name, send, status, code, detail) => {
    const before = await auditCount();
    const res = await send();
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json() as { code: string; type: string; detail: string; status: number; requestId: string };
    expect(body.code).toBe(code);
    expect(body.type).toBe(`urn:ledgerline:problem:${code}`);
    expect(body.status).toBe(status);
    expect(body.requestId).toBeTruthy();
    if (detail) expect(body.detail).toMatch(detail);
    expect(await auditCount()).toBe(before);
  });

  it.each([
    ['short of 100%', [['h1', '50'], ['h2', '49.9999']], /sums to 99\.9999%.*short by 0\.0001%/],
    ['over 100%', [['h1', '60'], ['h2', '41']], /sums to 101%.*over by 1%/],
    ['more than 4 decimals', [['h1', '33.33333'], ['h2', '66.66667']], /at most 4 decimals/],
    ['the same holder twice', [['h1', '50'], ['h1', '50']], /appears twice/],
  ])('a split %s is refused (422) and the old split stays', async (_name, shares, msg) => {
    const holders: Record<string, string> = { h1: A.rightsHolderId, h2: await secondHolder() };
    const before = await t.app.inject({ url: `/v1/tracks/${A.trackId}/splits`, headers: auth(A.keys.operator) });
    const res = await post(
      `/v1/tracks/${A.trackId}/splits/master`,
      { shares: (shares as string[][]).map(([h, p]) => ({ rightsHolderId: holders[h!], percent: p })) },
      {},
      'PUT',
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(msg);
    const after = await t.app.inject({ url: `/v1/tracks/${A.trackId}/splits`, headers: auth(A.keys.operator) });
    expect(after.json()).toEqual(before.json());
  });

  it('takes exact splits, 3 × 33.3333… summing to 100%', async () => {
    const h2 = await secondHolder();
    const h3 = (await post('/v1/rights-holders', { name: 'third', kind: 'songwriter' })).json().id as string;
    const res = await post(
      `/v1/tracks/${A.trackId}/splits/publishing`,
      {
        shares: [
          { rightsHolderId: A.rightsHolderId, percent: '33.3333', role: 'composer' },
          { rightsHolderId: h2, percent: '33.3333' },
          { rightsHolderId: h3, percent: 33.3334 },
        ],
      },
      {},
      'PUT',
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().publishing.map((s: { percent: string }) => s.percent).sort()).toEqual(['33.3333', '33.3333', '33.3334']);
  });

  it('keeps serving after all of that', async () => {
    const res = await t.app.inject({ url: '/health' });
    expect(res.json()).toEqual({ status: 'ok', engine: 'pglite' });
  });
});

let h2Id: string | null = null;
async function secondHolder(): Promise<string> {
  h2Id ??= (await post('/v1/rights-holders', { name: 'second', kind: 'publisher' })).json().id as string;
  return h2Id!;
}

describe('API shape', () => {
  it('publishes a valid OpenAPI 3.1 document covering every route', async () => {
    const res = await t.app.inject({ url: '/openapi.json' });
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc));
    expect(result.valid, JSON.stringify(result)).toBe(true);
    for (const r of t.app.routeTable) {
      if (r.url === '/openapi.json') continue;
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[r.method.toLowerCase()], `${r.method} ${path}`).toBeDefined();
    }
    // Raw bodies are documented as what they are, and summaries read as sentences.
    for (const [path, types] of [
      ['/v1/uploads', ['audio/*', 'application/octet-stream']],
      ['/v1/match', ['audio/*', 'application/octet-stream']],
      ['/v1/detect', ['audio/*', 'application/octet-stream']],
      ['/v1/tracks/{id}/audio', ['audio/*', 'application/octet-stream']],
      ['/v1/ddex', ['application/xml', 'text/xml', 'application/*+xml']],
      ['/v1/uploads/ddex', ['application/xml', 'text/xml', 'application/*+xml']],
    ] as const) {
      const content = doc.paths[path].post.requestBody.content;
      expect(Object.keys(content), path).toEqual(types);
      for (const t of types) expect(content[t].schema, `${path} ${t}`).toMatchObject({ type: 'string', format: 'binary' });
    }
    expect(doc.paths['/v1/artists'].post.summary).toBe('Create an artist');
    expect(JSON.stringify(doc)).not.toMatch(/Create in|one of (artists|tracks|releases)/);
  });

  it('serves a browsable API reference at /docs, from files that arrive with npm ci', async () => {
    const page = await t.app.inject({ url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toMatch(/swagger-ui/i);
    const spec = await t.app.inject({ url: '/docs/json' });
    expect(spec.json().openapi).toBe('3.1.0');
  });

  it('answers a multipart form or JSON sent to an audio route with 415 naming what it takes', async () => {
    const multipart = await t.app.inject({
      method: 'POST',
      url: '/v1/match',
      headers: { ...auth(A.keys.operator), 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nRIFF\r\n--x--\r\n',
    });
    expect(multipart.statusCode).toBe(415);
    expect(multipart.json()).toMatchObject({
      code: 'LL_HTTP_UNSUPPORTED_MEDIA_TYPE',
      detail: 'Content-Type multipart/form-data is not accepted here: send the audio file (WAV, FLAC, MP3, Ogg Vorbis or Opus; other formats when ffmpeg is installed) as the request body with Content-Type audio/* or application/octet-stream (not a multipart form)',
      details: { contentType: 'multipart/form-data; boundary=x', accepted: ['audio/*', 'application/octet-stream'] },
    });
    const json = await t.app.inject({ method: 'POST', url: '/v1/detect', headers: { ...auth(A.keys.operator), 'content-type': 'application/json' }, payload: '{"file":"x"}' });
    expect(json.statusCode).toBe(415);
    expect(json.json().detail).toMatch(/Content-Type audio\/\* or application\/octet-stream/);
    const xml = await t.app.inject({ method: 'POST', url: '/v1/ddex', headers: { ...auth(A.keys.operator), 'content-type': 'text/plain' }, payload: '<x/>' });
    expect(xml.json().detail).toMatch(/Content-Type text\/plain is not accepted here: send the ERN message as the request body with Content-Type application\/xml/);
  });

  it('keeps a sane x-request-id from the caller and makes one otherwise', async () => {
    const given = await t.app.inject({ url: '/health', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const insane = await t.app.inject({ url: '/health', headers: { 'x-request-id': 'a b\nc' } });
    expect(insane.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('shows a new key once and stores only its argon2id hash', async () => {
    const unbound = await post('/v1/keys', { role: 'licensee', name: 'partner' });
    expect(unbound.statusCode).toBe(400);
    expect(unbound.json()).toMatchObject({ code: 'LL_AUTH_BAD_SUBJECT', detail: expect.stringMatching(/a licensee key speaks for one licensee/) });
    const res = await post('/v1/keys', { role: 'licensee', name: 'partner', subjectId: A.licenseeId });
    expect(res.statusCode).toBe(201);
    const { key, id } = res.json() as { key: string; id: string };
    expect(key).toMatch(/^ll_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    const list = await t.app.inject({ url: '/v1/keys', headers: auth(A.keys.operator) });
    expect(list.body).not.toContain(key.slice(16));
    const rec = await t.ts.store.repos.auth.getKey(id);
    expect(rec?.secretHash).toMatch(/^\$argon2id\$/);
    const use = await t.app.inject({ url: '/v1/tracks', headers: auth(key) });
    expect(use.statusCode).toBe(200);
  });
});

describe('POST /v1/match', () => {
  it('identifies uploaded audio against the caller’s catalog, and refuses broken uploads precisely', async () => {
    const { synthMusic, wavBytes } = await import('../helpers/audio.ts');
    const { addTracks } = await import('../../src/fingerprint/index.ts');
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'll-apimatch-'));
    try {
      const music = synthMusic(30, 22050, 42);
      const file = join(dir, 'Synth Piece.wav');
      await writeFile(file, wavBytes([music], 22050));
      const deps = await t.fingerprints();
      const added = await addTracks(deps, { orgId: A.orgId, actor: 'test' }, [file]);
      expect(added.added).toHaveLength(1);
      const excerpt = wavBytes([music.subarray(22050 * 8, 22050 * 18)], 22050);
      const res = await t.app.inject({ method: 'POST', url: '/v1/match?name=clip.wav', headers: { ...auth(A.keys.reviewer), 'content-type': 'audio/wav' }, payload: Buffer.from(excerpt) });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ file: 'clip.wav', durationSeconds: 10, matches: [{ title: 'Synth Piece', trackId: added.added[0]!.trackId }] });
      expect(Math.abs(body.matches[0].refStart - body.matches[0].queryStart - 8)).toBeLessThan(0.3);
      // The answer says how strong the match is: an exact excerpt is far beyond chance.
      expect(body.matches[0]).toMatchObject({ edit: 'none', plausible: true });
      expect(body.matches[0].expected).toBeLessThan(1e-6);
      expect(body.matches[0].spread).toBeGreaterThanOrEqual(0.5);

      const corrupt = await t.app.inject({ method: 'POST', url: '/v1/match', headers: { ...auth(A.keys.operator), 'content-type': 'audio/wav' }, payload: Buffer.from(excerpt.subarray(0, 2000)) });
      expect(corrupt.statusCode).toBe(422);
      expect(corrupt.json().code).toBe('LL_AUDIO_CORRUPT');
      const unknown = await t.app.inject({ method: 'POST', url: '/v1/match', headers: { ...auth(A.keys.operator), 'content-type': 'application/octet-stream' }, payload: Buffer.from('plain text, not audio') });
      expect(unknown.statusCode).toBe(415);
      expect(unknown.json().code).toBe('LL_AUDIO_UNSUPPORTED_FORMAT');
      const health = await t.app.inject({ url: '/health' });
      expect(health.statusCode).toBe(200);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('POST /v1/tracks/:id/audio', () => {
  it('gives a catalog track its recording while the service runs: matched afterwards, refused twice, and never for another track\'s audio', async () => {
    const { synthMusic, wavBytes } = await import('../helpers/audio.ts');
    const music = synthMusic(30, 22050, 77);
    const body = Buffer.from(wavBytes([music], 22050));
    const created = await t.app.inject({ method: 'POST', url: '/v1/tracks', headers: { ...auth(A.keys.operator), 'content-type': 'application/json' }, payload: { title: 'Late Audio' } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const send = (track: string, key = A.keys.operator, payload = body) =>
      t.app.inject({ method: 'POST', url: `/v1/tracks/${track}/audio`, headers: { ...auth(key), 'content-type': 'audio/wav' }, payload });
    expect((await send(id, A.keys.reviewer)).statusCode).toBe(403);
    const res = await send(id);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ trackId: id, durationSeconds: 30, contentHash: expect.stringMatching(/^[0-9a-f]{64}$/), hashes: expect.any(Number) });
    const track = await t.app.inject({ url: `/v1/tracks/${id}`, headers: auth(A.keys.operator) });
    expect(track.json()).toMatchObject({ contentHash: res.json().contentHash, durationMs: 30_000 });
    const excerpt = Buffer.from(wavBytes([music.subarray(22050 * 5, 22050 * 15)], 22050));
    const match = await t.app.inject({ method: 'POST', url: '/v1/match', headers: { ...auth(A.keys.operator), 'content-type': 'audio/wav' }, payload: excerpt });
    expect(match.json().matches[0]).toMatchObject({ trackId: id, title: 'Late Audio' });
    // A track has one recording, and one recording one track.
    expect((await send(id)).json()).toMatchObject({ status: 409, code: 'LL_FINGERPRINT_HAS_AUDIO', detail: expect.stringMatching(/has its audio already/) });
    const other = await t.app.inject({ method: 'POST', url: '/v1/tracks', headers: { ...auth(A.keys.operator), 'content-type': 'application/json' }, payload: { title: 'Copy' } });
    expect((await send(other.json().id)).json()).toMatchObject({ status: 409, detail: expect.stringMatching(/this audio is track .* \("Late Audio"\) already/) });
    expect((await send('00000000-0000-0000-0000-000000000000')).json()).toMatchObject({ status: 404, code: 'LL_FINGERPRINT_TRACK_NOT_FOUND' });
    expect((await send(other.json().id, A.keys.operator, Buffer.from('not audio at all'))).statusCode).toBe(415);
  });
});

describe('hostile XML', () => {
  it('refuses 100,000 nested elements and 20 MB of empty elements off the event loop: /health answers meanwhile', async () => {
    const deep = `<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43">${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</ern:NewReleaseMessage>`;
    const flat = `<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43">${'<a/>'.repeat(5_000_000)}</ern:NewReleaseMessage>`.slice(0, 20 * 1024 * 1024 - 100) + '</ern:NewReleaseMessage>';
    // The pool's threads start on first use (the server starts them at start-up): not measured.
    await t.app.inject({ method: 'POST', url: '/v1/ddex', headers: { ...auth(A.keys.operator), 'content-type': 'application/xml' }, payload: '<x/>' });
    for (const [name, xml, message] of [
      ['deep', deep, /nested deeper than 100/],
      ['flat', flat, /more than 1000000 elements|not well-formed|unclosed|MALFORMED/i],
    ] as const) {
      let done = false;
      const started = performance.now();
      const pending = t.app
        .inject({ method: 'POST', url: '/v1/ddex', headers: { ...auth(A.keys.operator), 'content-type': 'application/xml' }, payload: xml })
        .finally(() => (done = true));
      const waits: number[] = [];
      while (!done) {
        const t0 = performance.now();
        expect((await t.app.inject({ url: '/health' })).statusCode).toBe(200);
        waits.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 10));
      }
      const res = await pending;
      expect(res.statusCode, name).toBe(400);
      expect(res.json().detail, name).toMatch(message);
      // Health was asked throughout; none of its answers waited on the parse.
      expect(waits.length, name).toBeGreaterThan(0);
      expect(Math.max(...waits), `${name}: ${waits.length} health checks over ${Math.round(performance.now() - started)} ms`).toBeLessThan(100);
    }
  });
});
