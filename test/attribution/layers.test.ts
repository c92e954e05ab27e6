// The two layers on real audio: an output built from corpus tracks (one excerpt inserted, one
// sped up and mixed under other music at -6 dB) has its replicated parts found where they are,
// with shares near the true proportions; a transposed, slowed excerpt of a work is aligned to it
// with the key shift and tempo that were applied, and stands far above unrelated works.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layerShares, replicatedSegments } from '../../src/attribution/index.ts';
import { decodeFile, mixAndDecimate, toMono } from '../../src/audio/index.ts';
import { alignChroma, chromaOf } from '../../src/composition/index.ts';
import { fingerprintPcm, MemoryIndex } from '../../src/fingerprint/index.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { edit } from '../helpers/tools.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'll-attribution-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Mono PCM at 44.1 kHz of a corpus file after edits. */
async function pcm(name: string, e: Parameters<typeof edit>[2] = {}): Promise<Float32Array> {
  const out = join(dir, `${name}-${JSON.stringify(e).replace(/\W+/g, '_')}.wav`);
  edit(corpusFile(name), out, { ...e, rate: 44100 });
  return toMono((await decodeFile(out)).channels);
}

const RATE = 44100;

describe('master layer', () => {
  it('finds each replicated part where it is, altered or not, and pays it close to its true share', async () => {
    const catalog = ['beatgame__doomed.ogg', 'cc0beats__dopebeat2.mp3', 'astromenace__menu.ogg'];
    const index = new MemoryIndex();
    await index.add(await Promise.all(catalog.map(async (f, i) => ({ ref: i + 1, hashes: fingerprintPcm([await pcm(f)], RATE).hashes }))));
    // 100 s of music never catalogued, then 15 s of track 1 put in at 20 s, and 25 s of track 2
    // sped up 3% mixed 6 dB under it at 60 s.
    const base = await pcm('beatgame__waking_the_devil.ogg', { seconds: 100 });
    const first = await pcm(catalog[0]!, { start: 30, seconds: 15 });
    const second = await pcm(catalog[1]!, { start: 10, seconds: 26, speed: 1.03 });
    const out = base.slice();
    out.set(first, 20 * RATE);
    for (let i = 0; i < 25 * RATE; i++) out[60 * RATE + i] = 0.5 * out[60 * RATE + i]! + second[i]!;
    const duration = out.length / RATE;
    const segments = await replicatedSegments(index, fingerprintPcm([out], RATE).hashes, duration);
    expect(new Set(segments.map((s) => s.ref))).toEqual(new Set([1, 2]));
    const one = segments.find((s) => s.ref === 1)!;
    expect(one.outputStart).toBeGreaterThan(19);
    expect(one.outputEnd).toBeLessThan(36);
    expect(one.refStart).toBeGreaterThan(29);
    expect(one.speed).toBeCloseTo(1, 2);
    const two = segments.find((s) => s.ref === 2)!;
    expect(two.outputStart).toBeGreaterThan(59);
    expect(two.outputEnd).toBeLessThan(86);
    expect(two.speed).toBeCloseTo(1.03, 2);
    expect(two.pitchCents).toBeGreaterThan(40);
    const shares = layerShares(
      duration,
      segments.map((s) => ({ trackId: String(s.ref), outputStart: s.outputStart, outputEnd: s.outputEnd, strength: s.strength })),
    );
    const share = (id: string) => shares.shares.find((s) => s.trackId === id)?.sharePpm ?? 0;
    expect(Math.abs(share('1') - 150_000)).toBeLessThan(50_000);
    expect(Math.abs(share('2') - 250_000)).toBeLessThan(50_000);
  }, 120_000);
});

describe('composition alignment', () => {
  it('aligns a transposed, slowed excerpt with its work, key shift and tempo measured, far above unrelated works', async () => {
    const chroma = (samples: Float32Array) => {
      const s = mixAndDecimate([samples], RATE, 8000);
      return chromaOf(s.samples, s.rate);
    };
    const work = 'digabi__bluewhales_uplifting_orchestra.mp3';
    const cover = chroma(await pcm(work, { start: 40, seconds: 30, pitchCents: 300, tempo: 0.9 }));
    const original = alignChroma(cover, chroma(await pcm(work)))!;
    expect(original.keyShift).toBe(3);
    expect(original.tempoRatio).toBeGreaterThan(0.8);
    expect(original.tempoRatio).toBeLessThan(1);
    // The excerpt's 30 s of the original, at 0.9 tempo, start at 40 s.
    expect(original.refStart).toBeGreaterThan(36);
    expect(original.refEnd).toBeLessThan(74);
    for (const other of ['cdogs__red_doors2.ogg', 'tsc__land-land_2.ogg', 'librosa__karissa_hobbs-lets_go_fishin.ogg']) {
      const a = alignChroma(cover, chroma(await pcm(other)));
      expect(original.score).toBeGreaterThan(2 * (a?.score ?? 0));
    }
  }, 120_000);
});
