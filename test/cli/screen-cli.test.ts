// `ledgerline screen` through main(): a catalog track sent again is rejected with its evidence,
// a new one accepted, one line per file in input order; the DDEX message supplies metadata and a
// command line that contradicts it is refused.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { corpusFile } from '../helpers/corpus.ts';
import { ern432 } from '../helpers/ddex.ts';
import { runMain } from '../helpers/io.ts';
import { dropSchema, freshSchemaUrl } from '../helpers/store.ts';

let url: string;
let schema: string;
let dir: string;
const cli = (...args: string[]) => runMain(args, url);
const CATALOG = corpusFile('neverball__track1.ogg');
const NEW = corpusFile('opensurge__citychill.ogg');

beforeAll(async () => {
  ({ url, schema } = freshSchemaUrl());
  dir = await mkdtemp(join(tmpdir(), 'll-screen-cli-'));
  process.env.LEDGERLINE_UPLOADS_DIR = join(dir, 'uploads');
  expect((await cli('org', 'create', 'dist', '--name', 'Distributor')).code).toBe(0);
  expect((await cli('catalog', 'add', CATALOG, '--org', 'dist', '--artist', 'Neverball Band')).code).toBe(0);
}, 120_000);
afterAll(async () => {
  delete process.env.LEDGERLINE_UPLOADS_DIR;
  await dropSchema(schema);
  await rm(dir, { recursive: true, force: true });
});

it('screens files in order, one JSON line each, with the decision and its evidence', async () => {
  const r = await cli('screen', CATALOG, NEW, '--org', 'dist', '--uploader', 'u7', '--artist', 'Someone Else', '--json');
  expect(r.code, r.err).toBe(0);
  const [dup, fresh] = r.out.trim().split('\n').map((l) => JSON.parse(l));
  expect(dup).toMatchObject({ file: CATALOG, decision: 'reject', policyVersion: 'ledgerline-default-1' });
  expect(dup.signals.map((s: { name: string }) => s.name)).toEqual(['duplicate', 'other_artist_audio']);
  expect(dup.signals[0].evidence.text).toMatch(/^re-upload of "neverball__track1" by Neverball Band/);
  expect(fresh).toMatchObject({ file: NEW, decision: 'accept', signals: [] });
  expect(fresh.reused).toBe(false);
  // The same audio from the same uploader is the same upload, decided once, and the command says
  // so, naming what it does not take; --new sends it as another upload.
  const again = await cli('screen', NEW, '--org', 'dist', '--uploader', 'u7', '--artist', 'Someone Else', '--title', 'Renamed', '--contains-ai', 'All', '--json');
  expect(JSON.parse(again.out)).toMatchObject({ uploadId: fresh.uploadId, reused: true });
  expect(again.err).toMatch(/u7 sent this file before as upload \S+ .*which does not take the title "Renamed" \(it has "opensurge__citychill"\), ContainsAI All \(it has null\) given now; --new sends it as a new upload/);
  const other = await cli('screen', NEW, '--org', 'dist', '--uploader', 'u7', '--artist', 'Someone Else', '--title', 'Renamed', '--contains-ai', 'All', '--new', '--json');
  expect(JSON.parse(other.out)).toMatchObject({ reused: false });
  expect(JSON.parse(other.out).uploadId).not.toBe(fresh.uploadId);
  // The operator's list and the reviewer's queue, from the shell.
  const list = await cli('uploads', 'list', '--org', 'dist');
  expect(list.out.split('\n')[0]).toMatch(/^id\s+receivedAt\s+uploader\s+title\s+artist\s+status\s+decision$/);
  expect(list.out).toContain(dup.uploadId);
  expect(JSON.parse((await cli('uploads', 'list', '--org', 'dist', '--decision', 'reject', '--json')).out).map((u: { id: string }) => u.id)).toEqual([dup.uploadId]);
  expect(JSON.parse((await cli('uploads', 'show', dup.uploadId, '--org', 'dist', '--json')).out).decisions).toHaveLength(1);
});

it('takes metadata from a DDEX message and refuses a command line that contradicts it', async () => {
  // Audio no one has sent before: the same audio from another uploader under another title is held.
  const FRESH = corpusFile('opensurge__gimacian.ogg');
  const ddex = join(dir, 'release.xml');
  await writeFile(ddex, ern432({ artist: 'City Chill', tracks: [{ isrc: 'GBCCH2600001', title: 'citychill', seconds: 105, containsAi: 'None' }] }));
  const ok = await cli('screen', FRESH, '--org', 'dist', '--uploader', 'u8', '--ddex', ddex, '--json');
  expect(ok.code, ok.err).toBe(0);
  expect(JSON.parse(ok.out)).toMatchObject({ decision: 'accept' });
  const bad = await cli('screen', FRESH, '--org', 'dist', '--uploader', 'u9', '--ddex', ddex, '--artist', 'Somebody', '--json');
  expect(bad.code).toBe(2);
  expect(JSON.parse(bad.out).error.message).toMatch(/--artist "Somebody" contradicts the DDEX message \("City Chill"\)/);
});

it('works the review queue from the shell: list, claim, decide with a reason', async () => {
  expect((await cli('artist', 'add', '--org', 'dist', '--name', 'Nova Lane', '--verified')).code).toBe(0);
  const held = JSON.parse((await cli('screen', corpusFile('tsc__land-cave_1.ogg'), '--org', 'dist', '--uploader', 'u-fan', '--artist', 'Nova Lane', '--json')).out);
  expect(held.decision).toBe('hold_for_review');
  const queue = await cli('review', 'list', '--org', 'dist');
  expect(queue.out.split('\n')[0]).toMatch(/^upload\s+state\s+claimedBy\s+title\s+artist\s+reason$/);
  expect(queue.out).toMatch(new RegExp(`${held.uploadId}\\s+open\\s+-\\s+tsc__land-cave_1\\s+Nova Lane\\s+held by policy`));
  const early = await cli('review', 'decide', held.uploadId, '--org', 'dist', '--decision', 'accept', '--reason', 'fine');
  expect(early.code).toBe(2);
  expect(early.err).toMatch(/not claimed: claim it first/);
  expect((await cli('review', 'claim', held.uploadId, '--org', 'dist')).code).toBe(0);
  const decided = await cli('review', 'decide', held.uploadId, '--org', 'dist', '--decision', 'accept', '--reason', 'the artist confirmed it', '--json');
  expect(decided.code, decided.err).toBe(0);
  expect(JSON.parse(decided.out)).toMatchObject({ decision: 'accept', review: { state: 'decided' } });
  expect((await cli('review', 'list', '--org', 'dist', '--json')).out).not.toContain(held.uploadId);
});
