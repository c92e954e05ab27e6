// The consent, licensing and DDEX commands end to end through main(): import a sample, set and
// check consent on behalf of the label, issue a manifest to a file, fetch the public key and
// verify the manifest offline; exit codes for partial and complete failure.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runMain } from '../helpers/io.ts';
import { dropSchema, freshSchemaUrl } from '../helpers/store.ts';

const DDEX = resolve(process.env.LEDGERLINE_DDEX ?? join(import.meta.dirname, '../../../shared/ddex'));
let url: string;
let schema: string;
let dir: string;

const cli = (...args: string[]) => runMain(args, url);
const offline = (...args: string[]) => runMain(args);

beforeAll(async () => {
  ({ url, schema } = freshSchemaUrl());
  dir = await mkdtemp(join(tmpdir(), 'll-consent-cli-'));
  expect((await cli('org', 'create', 'label', '--name', 'Label')).code).toBe(0);
});
afterAll(async () => {
  await dropSchema(schema);
  await rm(dir, { recursive: true, force: true });
});

it('imports DDEX files one line each, exit 1 when some fail and 2 when all do', async () => {
  await writeFile(join(dir, 'bad.xml'), '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>');
  const mixed = await cli('ddex', 'import', '--org', 'label', '--json', join(DDEX, 'ern43/4_simpleaudiosingle.xml'), join(dir, 'bad.xml'));
  expect(mixed.code).toBe(1);
  const lines = mixed.out.trim().split('\n').map((l) => JSON.parse(l));
  expect(lines[0]).toMatchObject({ version: '4.3', tracks: [{ isrc: 'GBAYC1700598', created: true }] });
  expect(lines[1]).toMatchObject({ error: { code: 'LL_DDEX_DTD' } });
  expect((await cli('ddex', 'import', '--org', 'label', join(dir, 'bad.xml'))).code).toBe(2);
  expect((await cli('ddex', 'import', '--org', 'label', join(dir, 'missing.xml'))).code).toBe(2);
});

it('sets consent for the label, checks it, issues a manifest and verifies it offline', async () => {
  const holders = JSON.parse((await cli('rights-holder', 'list', '--org', 'label', '--json')).out) as { id: string; name: string }[];
  const warner = holders.find((h) => h.name === 'Warner Classics')!;
  const tracks = JSON.parse((await cli('track', 'list', '--org', 'label', '--json')).out) as { id: string }[];
  expect((await cli('track', 'update', tracks[0]!.id, '--org', 'label', '--content-hash', 'a'.repeat(64))).code).toBe(0);

  const set = await cli('consent', 'set', '--org', 'label', '--as', `rights_holder:${warner.id}`, '--level', 'track', '--isrc', 'GBAYC1700598', '--use', 'ai_training', '--state', 'constrained', '--terms', '[{"licensees":["acme-ai"]}]', '--json');
  expect(set.code, set.err).toBe(0);
  const notHolder = await cli('consent', 'set', '--org', 'label', '--as', 'rights_holder:00000000-0000-4000-8000-000000000000', '--level', 'track', '--isrc', 'GBAYC1700598', '--use', 'ai_training', '--state', 'allowed');
  expect(notHolder.code).toBe(2);
  expect(notHolder.err).toContain('LL_CONSENT_FORBIDDEN');
  const check = await cli('consent', 'check', '--org', 'label', '--isrc', 'GB-AYC-17-00598', '--use', 'ai_training', '--licensee', 'acme-ai');
  expect(check.out).toMatch(/GBAYC1700598 ai_training at .*: ALLOWED: track rule v\d+ \(constrained/);

  expect((await cli('licensee', 'create', '--org', 'label', '--slug', 'acme-ai', '--name', 'Acme AI')).code).toBe(0);
  const lic = JSON.parse((await cli('license', 'create', '--org', 'label', '--licensee', 'acme-ai', '--uses', 'ai_training', '--territories', 'Worldwide', '--json')).out);
  const req = await cli('dataset', 'request', '--org', 'label', '--license', lic.id, '--use', 'ai_training', '--territory', 'DE', '--out', join(dir, 'm.json'), '--json');
  expect(req.code, req.err).toBe(0);
  expect(JSON.parse(req.out)).toMatchObject({ count: 1 });
  expect((await cli('manifest', 'public-key', '--out', join(dir, 'key.pem'))).code).toBe(0);
  expect(await readFile(join(dir, 'key.pem'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);

  const ok = await offline('manifest', 'verify', join(dir, 'm.json'), '--public-key', join(dir, 'key.pem'), '--json');
  expect(ok.code).toBe(0);
  expect(JSON.parse(ok.out).checks.map((c: { check: string }) => c.check)).toEqual(['signature', 'count', 'order', 'root']);
  await writeFile(join(dir, 'junk.json'), 'not json');
  expect((await offline('manifest', 'verify', join(dir, 'junk.json'), '--public-key', join(dir, 'key.pem'))).code).toBe(2);
});
