// The composition shortlist on real audio: its patch descriptors do not change with the key,
// a transposed, slowed excerpt of a work ranks that work first among unrelated corpus tracks,
// and the works handed to the alignment are the shortlist plus the same background sample for
// every output.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKGROUND_SAMPLE, SHORTLISTED, worksToAlign } from '../../src/attribution/index.ts';
import { decodeFile, mixAndDecimate, toMono } from '../../src/audio/index.ts';
import { CATALOG_HOP, chromaOf, describePatches, DIMS, packChroma, QUERY_HOP, ShortlistBuilder, shortlist, type Chroma } from '../../src/composition/index.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { edit } from '../helpers/tools.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'll-shortlist-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function chroma(name: string, e: Parameters<typeof edit>[2] = {}): Promise<Chroma> {
  const out = join(dir, `${name}-${JSON.stringify(e).replace(/\W+/g, '_')}.wav`);
  edit(corpusFile(name), out, { ...e, rate: 44100 });
  const s = mixAndDecimate([toMono((await decodeFile(out)).channels)], 44100, 8000);
  return chromaOf(s.samples, s.rate);
}

const WORK = 'digabi__bluewhales_uplifting_orchestra.mp3';
const OTHERS = [
  'cdogs__red_doors2.ogg',
  'tsc__land-land_2.ogg',
  'librosa__karissa_hobbs-lets_go_fishin.ogg',
  'beatgame__doomed.ogg',
  'cc0beats__dopebeat2.mp3',
  'astromenace__menu.ogg',
  'cdogs__epic_fall.ogg',
  'costelinha__insert_coin.mp3',
  'digabi__chopin_eliogu_op55_no1.mp3',
  '3dsexamples__bach_badinerie.ogg',
];

describe('composition shortlist', () => {
  it('describes a patch the same in every key', async () => {
    const c = await chroma(WORK, { seconds: 60 });
    const base = describePatches(c, CATALOG_HOP);
    expect(base.length).toBeGreaterThan(3 * DIMS);
    for (const shift of [1, 5, 7]) {
      const data = new Float32Array(c.data.length);
      for (let f = 0; f < c.frames; f++) for (let k = 0; k < 12; k++) data[f * 12 + ((k + shift) % 12)] = c.data[f * 12 + k]!;
      const moved = describePatches({ ...c, data }, CATALOG_HOP);
      let worst = 0;
      for (let i = 0; i < base.length; i++) worst = Math.max(worst, Math.abs(base[i]! - moved[i]!));
      expect(worst).toBeLessThanOrEqual(1);
    }
  }, 60_000);

  it('ranks the work a transposed, slowed excerpt comes from first among unrelated tracks', async () => {
    const builder = new ShortlistBuilder();
    builder.add(WORK, packChroma(await chroma(WORK)).patches);
    for (const other of OTHERS) builder.add(other, packChroma(await chroma(other)).patches);
    const cover = await chroma(WORK, { start: 40, seconds: 40, pitchCents: 300, tempo: 0.9 });
    const ranked = shortlist(builder.data(), describePatches(cover, QUERY_HOP), 3);
    expect(ranked[0]!.trackId).toBe(WORK);
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
    // An unrelated track's excerpt does not pick this work first.
    const unrelated = await chroma('cdogs__space.ogg', { seconds: 40 });
    expect(shortlist(builder.data(), describePatches(unrelated, QUERY_HOP), 1)[0]!.trackId).not.toBe(WORK);
  }, 120_000);

  it('aligns a small catalog whole, and a large one through the shortlist and one fixed background sample', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const patches = (n: number) => Int8Array.from({ length: n * DIMS }, () => Math.round(random() * 60));
    const small = new ShortlistBuilder();
    for (let t = 0; t < SHORTLISTED + BACKGROUND_SAMPLE; t++) small.add(`t${t}`, patches(5));
    expect(worksToAlign(small.data(), patches(3)).sort()).toEqual([...small.data().trackIds].sort());
    const large = new ShortlistBuilder();
    for (let t = 0; t < 400; t++) large.add(`t${t}`, patches(5));
    const query = patches(3);
    // The query is a copy of one track's patches: that track is on the shortlist.
    large.add('copied', query);
    const chosen = worksToAlign(large.data(), query);
    expect(chosen).toContain('copied');
    expect(chosen.length).toBe(SHORTLISTED + BACKGROUND_SAMPLE);
    const background = (ids: string[]) => new Set(ids.filter((id) => !shortlist(large.data(), query, SHORTLISTED).some((s) => s.trackId === id)));
    const other = worksToAlign(large.data(), patches(3));
    const common = [...background(chosen)].filter((id) => other.includes(id));
    // Most of the sample is the same for another output (only works on its own shortlist differ).
    expect(common.length).toBeGreaterThanOrEqual(BACKGROUND_SAMPLE - SHORTLISTED);
  });
});
