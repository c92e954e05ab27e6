// Hostile bodies on the consent, licensing and catalog routes: random mutations of valid requests (wrong
// types, missing and extra fields, odd strings, huge numbers) always get a 2xx or a 4xx
// problem+json, never a 5xx, and the server keeps answering.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { seededRandom } from '../../src/shared/index.ts';
import { auth, buildTestApp, type SeededOrg, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let org: SeededOrg;
beforeAll(async () => {
  t = await buildTestApp('pglite');
  org = await t.seedOrg('fuzz');
}, 120_000);
afterAll(async () => t.close());

const rand = seededRandom(2026);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const ODD: unknown[] = [null, true, -1, 0, 1e308, -0.5, '', ' ', 'x'.repeat(5000), '2026-13-45T99:99:99Z', 'GB-AAA-26-00001', '../../etc/passwd', '\u0000', '💥', [], {}, [1, 2], { a: { b: {} } }, 'Worldwide', 'constrained', 'inherit'];

function mutate(value: unknown, depth = 0): unknown {
  if (depth > 3 || rand() < 0.15) return pick(ODD);
  if (Array.isArray(value)) {
    const out = value.map((v) => mutate(v, depth + 1));
    if (rand() < 0.3) out.push(pick(ODD));
    if (rand() < 0.2) out.length = 0;
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = rand();
      if (r < 0.15) continue;
      out[k] = r < 0.5 ? mutate(v, depth + 1) : v;
    }
    if (rand() < 0.2) out[pick(['extra', 'level', 'use', 'terms', 'licensee', '__proto__'])] = pick(ODD);
    return out;
  }
  return rand() < 0.5 ? pick(ODD) : value;
}

it('answers 800 mutated consent, licensing and catalog requests with 2xx or 4xx problem+json', async () => {
  const routes: { method: 'PUT' | 'POST' | 'PATCH'; url: () => string; key: () => string; body: unknown }[] = [
    { method: 'POST', url: () => '/v1/tracks', key: () => org.keys.operator, body: { title: 'T', isrc: 'GBFUZ2600001', durationMs: 1000, containsAi: 'Partly', contributors: [{ name: 'A', roles: ['Composer'], aiContribution: ['Vocals'] }] } },
    { method: 'PATCH', url: () => `/v1/releases/${org.releaseId}`, key: () => org.keys.operator, body: { title: 'R', icpn: '4006381333931', releaseDate: '2026-01-01', containsAi: 'None' } },
    {
      method: 'PUT',
      url: () => '/v1/consent',
      key: () => org.keys.rights_holder,
      body: { level: 'track', isrc: 'GBAAA2600001', use: 'inference', state: 'constrained', terms: [{ licensees: ['fuzz-ai'], territories: ['GB'], validUntil: '2030-01-01T00:00:00Z', purpose: 'research' }] },
    },
    { method: 'POST', url: () => '/v1/consent/check', key: () => org.keys.licensee, body: { isrcs: ['GBAAA2600001', 'GBAAA2600002'], use: 'ai_training', licensee: 'fuzz-ai', territory: 'GB', at: '2026-11-22T00:00:00Z' } },
    { method: 'POST', url: () => '/v1/licenses', key: () => org.keys.operator, body: { licensee: 'fuzz-ai', uses: ['ai_training'], territories: ['GB'], fee: { currency: 'EUR', amountMinor: 100, per: 'track' } } },
    { method: 'POST', url: () => `/v1/licenses/${org.licenseId}/datasets`, key: () => org.keys.licensee, body: { use: 'ai_training', territory: 'GB', filters: { genre: 'Pop', minDurationMs: 1000 } } },
    { method: 'POST', url: () => '/v1/consent/signals', key: () => org.keys.operator, body: { format: 'tdmrep', source: 'p', content: '[{"location":"/GBAAA2600001","tdm-reservation":1}]' } },
    { method: 'POST', url: () => `/v1/manifests/${org.manifestId}/runs`, key: () => org.keys.licensee, body: { modelName: 'm', modelVersion: '1', startedAt: '2030-01-01T00:00:00Z' } },
  ];
  const statuses = new Map<number, number>();
  for (let i = 0; i < 800; i++) {
    const r = routes[i % routes.length]!;
    const res = await t.app.inject({ method: r.method, url: r.url(), headers: { ...auth(r.key()), 'content-type': 'application/json' }, payload: JSON.stringify(mutate(r.body)) });
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
    if (res.statusCode >= 400) expect(res.headers['content-type']).toContain('application/problem+json');
  }
  expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
  expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
});
