// Attribution end to end on the embedded store and on PostgreSQL: a catalog added from real
// audio, a licensee's manifest of two of its tracks and a training run, then a generated output
// that replicates one licensed track and one track the licence did not cover. Shares go only to
// the licensed track, the other is an unlicensed finding with its evidence, every run is a new
// stored version, and a bad run is refused before anything is written.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeOutput, type AttributionDeps } from '../../src/attribution/index.ts';
import { decodeFile, encodeWav16, toMono } from '../../src/audio/index.ts';
import { createTrack, setSplit, updateTrack } from '../../src/catalog/index.ts';
import { packChroma, unpackChroma } from '../../src/composition/index.ts';
import { setConsent } from '../../src/consent/index.ts';
import { addTracks } from '../../src/fingerprint/index.ts';
import * as licensing from '../../src/licensing/index.ts';
import { auth, buildTestApp, type SeededOrg, type TestApp } from '../helpers/app.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { ENGINES } from '../helpers/store.ts';
import { edit } from '../helpers/tools.ts';

const CATALOG = [
  'astromenace__menu.ogg',
  'beatgame__doomed.ogg',
  'cc0beats__dopebeat2.mp3',
  'cc0beats__ripper.mp3',
  'cdogs__a_really_tense_moment.ogg',
  'cdogs__epic_fall.ogg',
  'cdogs__low-fi.ogg',
  'cdogs__party_sector.ogg',
  'cdogs__red_doors2.ogg',
  'cdogs__space.ogg',
  'cluecards__game-30s.mp3',
  'cluecards__game-60s.mp3',
  'cluecards__lobby.mp3',
  'dejavu__brad-sucks-total-breakdown.mp3',
  'digabi__bluewhales_uplifting_orchestra.mp3',
  'digabi__chopin_eliogu_op55_no1.mp3',
  'digabi__hyde_acoustically_driven_instrumental.mp3',
  'cdogs__space_dimensions_8bit.ogg',
];
const LICENSED = 'beatgame__doomed.ogg';
const UNLICENSED = 'cc0beats__dopebeat2.mp3';
const RATE = 44100;

describe.each(ENGINES)('attributing a generated output on %s', (engine) => {
  let t: TestApp;
  let org: SeededOrg;
  let deps: AttributionDeps;
  let runId = '';
  const ids = new Map<string, string>();
  const dir = mkdtempSync(join(tmpdir(), 'll-attr-flow-'));
  const output = join(dir, 'output.wav');
  // The same music 2 dB quieter: other bytes, so another output.
  const quieter = join(dir, 'quieter.wav');
  const caller = () => ({ orgId: org.orgId, actor: 'test' });

  beforeAll(async () => {
    // The job runs on the jobs table embedded and on BullMQ beside PostgreSQL, as deployed.
    t = await buildTestApp(engine, engine === 'postgres' ? 'bullmq' : 'table');
    org = await t.seedOrg('attr');
    const report = await addTracks(await t.fingerprints(), caller(), CATALOG.map(corpusFile));
    expect(report.failed).toEqual([]);
    for (const a of report.added) ids.set(CATALOG.find((f) => a.file.endsWith(f))!, a.trackId);
    // The licensed track gets an ISRC and consent, so the licensee's dataset request lists it.
    const deps0 = { store: t.ts.store, clock: t.rt.clock };
    await updateTrack(deps0, caller(), ids.get(LICENSED)!, { isrc: 'GBAAA2600101' });
    await updateTrack(deps0, caller(), ids.get(UNLICENSED)!, { isrc: 'GBAAA2600102' });
    await setSplit(deps0, caller(), ids.get(LICENSED)!, 'master', [{ rightsHolderId: org.rightsHolderId, percent: 100 }]);
    await setConsent(t.rt.consent, { ...caller(), role: 'rights_holder', subjectId: org.rightsHolderId }, { level: 'track', isrc: 'GBAAA2600101', use: 'ai_training', state: 'allowed' });
    const { manifest } = await licensing.requestDataset(t.rt.licensing, { ...caller(), role: 'operator', subjectId: null }, org.licenseId, { use: 'ai_training', territory: 'GB' });
    expect(manifest.entries.map((e) => e.isrc).sort()).toEqual(['GBAAA2600001', 'GBAAA2600101']);
    const run = await licensing.registerRun(t.rt.licensing, { ...caller(), role: 'operator', subjectId: null }, manifest.header.id, {
      modelName: 'm',
      modelVersion: '1',
      startedAt: new Date(Date.now() + 1000).toISOString(),
    });
    runId = run.id;
    deps = await t.rt.attribution();
    // 90 s never catalogued, with 15 s of the licensed track at 20 s and 20 s of the other at 50 s.
    const pcm = async (name: string, e: Parameters<typeof edit>[2]) => {
      const p = join(dir, `${name}.wav`);
      edit(corpusFile(name), p, { ...e, rate: RATE, mono: true });
      return toMono((await decodeFile(p)).channels);
    };
    const out = await pcm('astromenace__game.ogg', { seconds: 90 });
    out.set(await pcm(LICENSED, { start: 30, seconds: 15 }), 20 * RATE);
    out.set(await pcm(UNLICENSED, { start: 5, seconds: 20 }), 50 * RATE);
    writeFileSync(output, encodeWav16([out], RATE));
    writeFileSync(quieter, encodeWav16([out.map((v) => v * 0.8)], RATE));
  }, 240_000);
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pays only the licensed track, reports the other as unlicensed, and stores each run as a new version', async () => {
    const first = await attributeOutput(deps, caller(), { path: output }, { runId, title: 'song 1' });
    const { master, composition, unlicensed } = first.result;
    expect(master.shares.map((s) => s.trackId)).toEqual([ids.get(LICENSED)]);
    const share = master.shares[0]!;
    expect(Math.abs(share.sharePpm - 166_667)).toBeLessThan(40_000);
    expect(share.isrc).toBe('GBAAA2600101');
    expect(share.evidence[0]!.speed).toBeCloseTo(1, 2);
    expect(Math.abs(share.evidence[0]!.pitchCents)).toBeLessThan(5);
    expect(share.evidence[0]!.outputStart).toBeGreaterThan(19);
    expect(share.evidence[0]!.refStart).toBeGreaterThan(29);
    expect(master.unattributedPpm + share.sharePpm).toBe(1_000_000);
    expect(composition.shares.reduce((s, x) => s + x.sharePpm, 0) + composition.unattributedPpm).toBe(1_000_000);
    expect(unlicensed).toEqual([expect.objectContaining({ trackId: ids.get(UNLICENSED), layer: 'master' })]);
    expect(unlicensed[0]!.evidence[0]!.outputStart).toBeGreaterThan(49);

    const second = await attributeOutput(deps, caller(), { path: output }, { runId, title: 'song 1' });
    expect(second.outputId).toBe(first.outputId);
    expect(second.version).toBe(first.version + 1);
    const stored = await t.ts.store.repos.attributions.attributionsOf(first.outputId);
    expect(stored.map((s) => s.version)).toEqual([1, 2]);
    expect(stored[0]!.result).toEqual(first.result);
    const uses = await t.ts.store.repos.attributions.usesOfTrack(org.orgId, ids.get(LICENSED)!, 10);
    expect(uses).toEqual([expect.objectContaining({ outputId: first.outputId, version: 2, layer: 'master', licensed: true, sharePpm: share.sharePpm })]);
    const found = await t.ts.store.repos.attributions.usesOfTrack(org.orgId, ids.get(UNLICENSED)!, 10);
    expect(found).toEqual([expect.objectContaining({ licensed: false, sharePpm: 0 })]);
    // A stored version cannot be changed or removed, even by a direct write.
    await expect(t.ts.store.db.updateTable('attributions').set({ engine_version: 'forged' }).where('output_id', '=', first.outputId).execute()).rejects.toThrow();
    await expect(t.ts.store.db.deleteFrom('attribution_tracks').where('output_id', '=', first.outputId).execute()).rejects.toThrow();
  }, 120_000);

  it('without a run, draws on the whole catalog', async () => {
    const r = await attributeOutput(deps, caller(), { path: output }, {});
    expect(new Set(r.result.master.shares.map((s) => s.trackId))).toEqual(new Set([ids.get(LICENSED), ids.get(UNLICENSED)]));
    expect(r.result.unlicensed).toEqual([]);
  }, 120_000);

  it('takes an output from the licensee over HTTP, attributes it as a job, and never doubles a version', async () => {
    const post = () =>
      t.app.inject({
        method: 'POST',
        url: `/v1/outputs?run=${runId}&title=Song%202&externalId=ext-2`,
        headers: { ...auth(org.keys.licensee), 'content-type': 'audio/wav' },
        payload: readFileSync(quieter),
      });
    // Another audio than the runs above used: a new output.
    const received = await post();
    expect(received.statusCode).toBe(202);
    const id = received.json().id as string;
    expect(received.json()).toMatchObject({ status: 'queued', runId, licenseeId: org.licenseeId, title: 'Song 2', externalId: 'ext-2' });
    await t.queue.start();
    let body: { status: string; versions: number; attribution: { master: { shares: Array<{ trackId: string }> }; unlicensed: unknown[] } | null } | null = null;
    for (let i = 0; i < 200 && body?.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      body = (await t.app.inject({ method: 'GET', url: `/v1/outputs/${id}`, headers: auth(org.keys.licensee) })).json();
    }
    expect(body!.status).toBe('done');
    expect(body!.versions).toBe(1);
    expect(body!.attribution!.master.shares.map((s) => s.trackId)).toEqual([ids.get(LICENSED)]);
    expect(body!.attribution!.unlicensed).toHaveLength(1);
    // The same audio under the same run again: the same output, still one version.
    const again = await post();
    expect(again.statusCode).toBe(202);
    expect(again.json().id).toBe(id);
    await new Promise((r) => setTimeout(r, 500));
    expect((await t.app.inject({ method: 'GET', url: `/v1/outputs/${id}`, headers: auth(org.keys.operator) })).json().versions).toBe(1);
    // The rights holder of the licensed track sees the output; the artist key of another's track does not.
    const uses = await t.app.inject({ method: 'GET', url: `/v1/attributions?track=${ids.get(LICENSED)}`, headers: auth(org.keys.rights_holder) });
    expect(uses.statusCode).toBe(200);
    expect(uses.json().map((u: { outputId: string }) => u.outputId)).toContain(id);
    const other = await t.app.inject({ method: 'GET', url: `/v1/attributions?track=${ids.get(UNLICENSED)}`, headers: auth(org.keys.artist) });
    expect(other.statusCode).toBe(404);
    // A licensee must name its run.
    const noRun = await t.app.inject({ method: 'POST', url: '/v1/outputs?title=x', headers: { ...auth(org.keys.licensee), 'content-type': 'audio/wav' }, payload: readFileSync(output) });
    expect(noRun.statusCode).toBe(400);
    expect(noRun.json().code).toBe('LL_ATTRIBUTION_BAD_OUTPUT');
  }, 120_000);

  it('refuses an unknown run, or a run of another licensee, before writing anything', async () => {
    const before = await t.ts.store.db.selectFrom('attributions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await expect(attributeOutput(deps, caller(), { path: output }, { runId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ code: 'LL_ATTRIBUTION_RUN_NOT_FOUND' });
    await expect(attributeOutput(deps, { ...caller(), licenseeId: '00000000-0000-4000-8000-000000000001' }, { path: output }, { runId })).rejects.toMatchObject({ code: 'LL_ATTRIBUTION_RUN_OF_ANOTHER_LICENSEE' });
    await expect(attributeOutput(deps, caller(), { bytes: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) }, { runId })).rejects.toMatchObject({ code: expect.stringMatching(/^LL_AUDIO_/) });
    // An output of 16 minutes: a mix or a recording of hours, not one published track.
    await expect(attributeOutput(deps, caller(), { bytes: encodeWav16([new Float32Array(8000 * 60 * 16)], 8000) }, { runId })).rejects.toMatchObject({ code: 'LL_AUDIO_TOO_LONG' });
    const after = await t.ts.store.db.selectFrom('attributions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  }, 60_000);

  it('follows a work in another key and tempo through the stored shortlist, which learns of works added since', async () => {
    const work = 'digabi__bluewhales_uplifting_orchestra.mp3';
    const cover = join(dir, 'cover.wav');
    edit(corpusFile(work), cover, { start: 40, seconds: 40, pitchCents: 300, tempo: 0.9, rate: RATE, mono: true });
    const before = await attributeOutput(deps, caller(), { path: cover }, {});
    expect(before.result.composition.shares[0]?.trackId).toBe(ids.get(work));
    expect(before.result.composition.shares[0]!.evidence[0]!.keyShift).toBe(3);
    // The catalog grows past what is aligned whole (48 works): 40 works of noise, and the same
    // work again under another track, which the shortlist must now find as well.
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const stored = (await t.ts.store.repos.compositions.featuresOf(org.orgId, [ids.get(work)!]))[0]!;
    for (let n = 0; n <= 40; n++) {
      const track = await createTrack({ store: t.ts.store, clock: t.rt.clock }, caller(), { title: n === 40 ? 'the same work again' : `noise ${n}` });
      const data = new Float32Array(300 * 12).map(() => random());
      const features = n === 40 ? packChroma(unpackChroma(stored)) : packChroma({ data, frames: 300, frameSeconds: 0.5, tuningCents: 0 });
      await t.ts.store.repos.compositions.insertFeatures({ trackId: track.id, orgId: org.orgId, ...features });
      if (n === 40) ids.set('again', track.id);
    }
    const after = await attributeOutput(deps, caller(), { path: cover }, {});
    expect(new Set(after.result.composition.shares.map((s) => s.trackId))).toEqual(new Set([ids.get(work), ids.get('again')]));
  }, 180_000);
});
