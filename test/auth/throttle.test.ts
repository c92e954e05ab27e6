// A flood of wrong secrets for a known key id: after the limit each address's further attempts
// and the key id's are answered 429 without argon2 work, an honest key from elsewhere is
// verified as fast as before, unknown and wrong keys cost the same, and the key's owner is not
// locked out by an attacker who knows its id.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthThrottle, DEFAULT_THROTTLE } from '../../src/auth/index.ts';
import { auth, buildTestApp, type SeededOrg, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let A: SeededOrg;
beforeAll(async () => {
  t = await buildTestApp('pglite', 'table', DEFAULT_THROTTLE);
  A = await t.seedOrg('flood');
});
afterAll(async () => {
  await t.close();
});

const call = (key: string, remoteAddress: string) => t.app.inject({ url: '/v1/org', headers: auth(key), remoteAddress });
const wrong = (key: string) => key.slice(0, 17) + 'x'.repeat(key.length - 17);
const ms = async (fn: () => Promise<unknown>) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

describe('failed authentications', () => {
  it('answers a flood of wrong secrets 429 once past the limit, and an honest key elsewhere waits no longer for it', async () => {
    // The honest key's own cost, measured first (argon2id is slow by design), on a key never verified.
    const honest = A.keys.reviewer;
    const before = await ms(async () => expect((await call(A.keys.artist, '198.51.100.7')).statusCode).toBe(200));
    const flood = await Promise.all(Array.from({ length: 120 }, () => call(wrong(A.keys.operator), '203.0.113.9')));
    const codes = flood.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(20);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(100);
    const limited = flood.find((r) => r.statusCode === 429)!;
    expect(limited.json()).toMatchObject({ code: 'LL_AUTH_THROTTLED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Still limited, and still without argon2 work: answered at once.
    expect(await ms(async () => expect((await call(wrong(A.keys.operator), '203.0.113.9')).statusCode).toBe(429))).toBeLessThan(50);
    const after = await ms(async () => expect((await call(honest, '198.51.100.8')).statusCode).toBe(200));
    expect(after).toBeLessThan(before + 100);
  });

  it('answers unknown, revoked and wrong keys alike, after the same work', async () => {
    const unknown = (await call('ll_aaaaaaaaaaaa_' + 'A'.repeat(43), '192.0.2.1')).json();
    const bad = (await call(wrong(A.keys.licensee), '192.0.2.2')).json();
    expect(unknown).toMatchObject({ status: 401, detail: 'the API key is unknown or revoked' });
    expect(bad).toMatchObject({ status: 401, detail: 'the API key is unknown or revoked' });
    const times = { unknown: [] as number[], wrong: [] as number[] };
    for (let i = 0; i < 5; i++) {
      times.unknown.push(await ms(() => call('ll_bbbbbbbbbbbb_' + 'B'.repeat(43), `192.0.2.${10 + i}`)));
      times.wrong.push(await ms(() => call(wrong(A.keys.licensee), `192.0.2.${20 + i}`)));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2]!;
    // Both pay an argon2id run: neither is a fraction of the other.
    expect(median(times.unknown) / median(times.wrong)).toBeGreaterThan(0.5);
    expect(median(times.unknown) / median(times.wrong)).toBeLessThan(2);
  });

  it('keeps admitting a key its process has verified, however many failures its id has seen', () => {
    let now = 1_000_000;
    const th = new AuthThrottle({ windowMs: 60_000, perAddress: 3, perKeyId: 5 }, () => now);
    expect(th.admit('10.0.0.1', 'kid', 'right')).toBeNull();
    th.succeeded('10.0.0.1', 'kid', 'right');
    for (let i = 0; i < 5; i++) expect(th.admit(`10.0.0.${10 + i}`, 'kid', 'guess')).toBeNull();
    expect(th.admit('10.9.9.9', 'kid', 'guess')).toBeGreaterThan(0);
    expect(th.admit('10.9.9.9', 'kid', 'right')).toBeNull();
    // One address alone is stopped sooner.
    for (let i = 0; i < 3; i++) th.admit('10.7.7.7', `other${i}`, 'x');
    expect(th.admit('10.7.7.7', 'other9', 'x')).toBeGreaterThan(0);
    // The window moves on.
    now += 61_000;
    expect(th.admit('10.9.9.9', 'kid', 'guess')).toBeNull();
  });
});
