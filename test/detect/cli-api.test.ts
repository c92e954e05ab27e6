// The detector's shells: `ledgerline detect` as a real process (JSON lines exactly as written in
// the issue, SVG plots, exit codes) and POST /v1/detect (report shape, plot, problem+json).

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, buildTestApp, type SeededOrg, type TestApp } from '../helpers/app.ts';
import { runCli } from '../helpers/cli.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { edit } from '../helpers/tools.ts';

const AI = resolve(process.env.LEDGERLINE_AI_MUSIC ?? join(import.meta.dirname, '../../../shared/ai-music'));

let dir: string;
let t: TestApp;
let A: SeededOrg;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'll-detect-cli-'));
  await mkdir(join(dir, 'in'));
  edit(corpusFile('neverball__track1.ogg'), join(dir, 'in', 'human.flac'), { seconds: 30 });
  edit(corpusFile('neverball__track1.ogg'), join(dir, 'in', 'short.wav'), { seconds: 5 });
  await writeFile(join(dir, 'in', 'ai.mp3'), await readFile(join(AI, 'audio', 'deezer_musika_000005.mp3')));
  await writeFile(join(dir, 'broken.mp3'), 'no audio here');
  t = await buildTestApp('pglite');
  A = await t.seedOrg('org-a');
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe('ledgerline detect', () => {
  it('prints one JSON line per file with file, verdict, score, reason, evidence, and writes plots', async () => {
    const plots = join(dir, 'plots');
    const r = await runCli(['detect', join(dir, 'in'), '--json', '--plot', plots]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.file)).toEqual(['ai.mp3', 'human.flac', 'short.wav'].map((f) => join(dir, 'in', f)));
    for (const l of lines) expect(Object.keys(l)).toEqual(['file', 'verdict', 'score', 'reason', 'evidence']);
    const [ai, human, short] = lines;
    expect(ai).toMatchObject({ verdict: 'ai', evidence: { sampleRate: 44100, 'spectral-artifacts': { comb: { divisor: 1024, exactDivisor: true } } } });
    expect(human.verdict).toBe('human');
    expect(short).toMatchObject({ verdict: 'not_assessable', score: null });
    expect(short.reason).toMatch(/too short/);
    expect(existsSync(ai.evidence.plot)).toBe(true);
    expect(await readFile(ai.evidence.plot, 'utf8')).toMatch(/^<svg/);
    expect(r.stderr).toMatch(/detecting 3\/3/);
  });

  it('reports a corrupt file and keeps going (exit 1); only bad input exits 2', async () => {
    const some = await runCli(['detect', join(dir, 'broken.mp3'), join(dir, 'in', 'human.flac'), '--json']);
    expect(some.code).toBe(1);
    const [bad, good] = some.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(bad).toMatchObject({ file: join(dir, 'broken.mp3'), error: { code: expect.stringMatching(/^LL_AUDIO_/) } });
    expect(good.verdict).toBe('human');
    expect((await runCli(['detect', join(dir, 'broken.mp3')])).code).toBe(2);
    const thr = await runCli(['detect', join(dir, 'in'), '--threshold', '7']);
    expect(thr.code).toBe(2);
    expect(thr.stderr).toMatch(/LL_DETECT_BAD_THRESHOLD|threshold/);
  });
});

describe('POST /v1/detect', () => {
  it('judges uploaded audio and returns the same report, with the plot on request', async () => {
    const body = await readFile(join(dir, 'in', 'ai.mp3'));
    const res = await t.app.inject({ method: 'POST', url: '/v1/detect?name=x.mp3&plot=true', headers: { ...auth(A.keys.reviewer), 'content-type': 'audio/mpeg' }, payload: body });
    expect(res.statusCode).toBe(200);
    const j = res.json();
    expect(j).toMatchObject({ file: 'x.mp3', verdict: 'ai', evidence: { 'spectral-artifacts': { comb: { divisor: 1024 } } } });
    expect(j.plot).toMatch(/^<svg/);
    expect(j.reason).toMatch(/44100\/1024/);
  });

  it('answers corrupt audio and a bad threshold with problem+json, and keeps serving', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/v1/detect', headers: { ...auth(A.keys.operator), 'content-type': 'audio/wav' }, payload: Buffer.from('RIFF garbage') });
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.statusCode).toBeLessThan(500);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.json().type).toMatch(/^urn:ledgerline:problem:LL_AUDIO_/);
    const thr = await t.app.inject({ method: 'POST', url: '/v1/detect?threshold=3', headers: { ...auth(A.keys.operator), 'content-type': 'audio/wav' }, payload: Buffer.from('x') });
    expect(thr.statusCode).toBe(400);
    const ok = await t.app.inject({ method: 'POST', url: '/v1/detect', headers: { ...auth(A.keys.operator), 'content-type': 'audio/flac' }, payload: await readFile(join(dir, 'in', 'human.flac')) });
    expect(ok.json().verdict).toBe('human');
  });
});
