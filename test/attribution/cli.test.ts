// `ledgerline attribute` as written in the issue, run as a real process on the embedded store:
// one JSON line per file with exactly the promised fields, a file that is no audio reported on
// its own line, and an unknown run refused with exit 2 before anything is written.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { edit } from '../helpers/tools.ts';

let dir: string;
let data: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'll-attrcli-'));
  data = join(dir, 'data');
  await mkdir(join(dir, 'outputs'));
  edit(corpusFile('neverball__track4.ogg'), join(dir, 'outputs', 'a.wav'), { start: 15, seconds: 30, speed: 1.03 });
  await writeFile(join(dir, 'outputs', 'b.mp3'), 'this is no mp3');
  expect((await runCli(['org', 'create', 'lab', '--name', 'Lab', '--data', data])).code).toBe(0);
  const add = await runCli(['catalog', 'add', corpusFile('neverball__track4.ogg'), corpusFile('tsc__land-hyper_2.ogg'), '--org', 'lab', '--json', '--data', data]);
  expect(add.code).toBe(0);
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ledgerline attribute', () => {
  it('prints one JSON line per file with exactly the promised fields', async () => {
    const r = await runCli(['attribute', join(dir, 'outputs'), '--org', 'lab', '--json', '--plot', join(dir, 'plots'), '--data', data]);
    expect(r.code).toBe(1); // one of the two files is no audio
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    const a = lines.find((l) => l.file.endsWith('a.wav'));
    expect(Object.keys(a)).toEqual(['file', 'durationSeconds', 'master', 'composition', 'unlicensed']);
    expect(Object.keys(a.master)).toEqual(['shares', 'unattributedPpm']);
    expect(Object.keys(a.composition)).toEqual(['shares', 'unattributedPpm']);
    const [share] = a.master.shares;
    expect(Object.keys(share)).toEqual(['trackId', 'isrc', 'title', 'sharePpm', 'evidence']);
    expect(share.title).toBe('neverball__track4');
    expect(Object.keys(share.evidence[0])).toEqual(['outputStart', 'outputEnd', 'refStart', 'refEnd', 'strength', 'speed', 'pitchCents']);
    expect(share.evidence[0].speed).toBeCloseTo(1.03, 2);
    expect(share.sharePpm + a.master.unattributedPpm).toBe(1_000_000);
    // Two catalog tracks give no background for the composition layer: it says nothing.
    expect(a.composition).toEqual({ shares: [], unattributedPpm: 1_000_000 });
    expect(a.unlicensed).toEqual([]);
    const svg = await readFile(join(dir, 'plots', 'a.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('master: neverball__track4');
    const b = lines.find((l) => l.file.endsWith('b.mp3'));
    expect(b.error).toMatch(/./);
  }, 120_000);

  it('reindexes composition features from the catalog tracks\' audio, found by content hash', async () => {
    const r = await runCli(['attribution', 'reindex', corpusFile('neverball__track4.ogg'), join(dir, 'outputs', 'a.wav'), '--org', 'lab', '--json', '--data', data]);
    expect(r.code).toBe(1); // the output is no catalog track
    const out = JSON.parse(r.stdout);
    expect(out.indexed).toHaveLength(1);
    expect(out.failed).toEqual([{ file: join(dir, 'outputs', 'a.wav'), error: 'no catalog track has this audio (content hash)' }]);
  }, 60_000);

  it('refuses an unknown run with exit 2 and a precise error', async () => {
    const r = await runCli(['attribute', join(dir, 'outputs', 'a.wav'), '--org', 'lab', '--run', '00000000-0000-4000-8000-000000000000', '--data', data]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/LL_ATTRIBUTION_RUN_NOT_FOUND/);
    expect(r.stdout).toBe('');
  }, 60_000);
});
