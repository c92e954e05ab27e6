// Decoding an MP3 in part: the planned ranges must hold exactly what a whole decode puts there
// (real corpus files from LAME, ffmpeg and an encoder without a gapless tag; MPEG-2 and mono
// at a low bit rate, whose bit reservoir reaches furthest back), and anything the frame index
// cannot place is decoded whole. Damaged streams give a clear error or a decode, never a crash.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio, type RangePlan } from '../../src/audio/index.ts';
import { indexMp3 } from '../../src/audio/mp3-index.ts';
import { detect, detectAudio } from '../../src/detect/index.ts';
import { seededRandom, type LedgerlineError } from '../../src/shared/index.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { ffmpeg } from '../helpers/tools.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'll-mp3-ranges-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** 24 ranges of 20000 samples spread over the stream, as a detector would ask. */
const spread: RangePlan = (length) => Array.from({ length: 24 }, (_, i) => [Math.floor((i * (length - 20000)) / 24), Math.floor((i * (length - 20000)) / 24) + 20000] as const);

async function expectSameAsWhole(bytes: Uint8Array) {
  const whole = await decodeAudio(bytes);
  expect(indexMp3(bytes)?.length).toBe(whole.channels[0]!.length);
  const part = await decodeAudio(bytes, undefined, spread);
  expect(part.decoded).toHaveLength(24);
  expect(part.channels).toHaveLength(whole.channels.length);
  expect(part.durationSeconds).toBe(whole.durationSeconds);
  let diff = 0;
  let outside = 0;
  for (const [c, ch] of part.channels.entries()) {
    let at = 0;
    for (const [a, b] of part.decoded!) {
      for (let i = at; i < a; i++) outside = Math.max(outside, Math.abs(ch[i]!));
      for (let i = a; i < b; i++) diff = Math.max(diff, Math.abs(ch[i]! - whole.channels[c]![i]!));
      at = b;
    }
  }
  // Float rounding only: the decoder's filter state is rebuilt, not carried.
  expect(diff).toBeLessThan(2e-6);
  expect(outside).toBe(0);
}

describe('MP3 decoded in part', () => {
  it.each([
    ['LAME with its gapless tag', 'dejavu__brad-sucks-total-breakdown.mp3'],
    ['ffmpeg (Lavc tag), mono at 52 kbit/s', 'digabi__chopin_eliogu_op55_no1.mp3'],
    ['no gapless tag', 'cluecards__lobby.mp3'],
  ])('equals the whole decode where planned: %s', async (_name, file) => {
    await expectSameAsWhole(new Uint8Array(await readFile(corpusFile(file))));
  });

  it.each([
    ['mono at 24 kbit/s', ['-ar', '22050', '-ac', '1', '-b:a', '24k']],
    ['stereo, VBR up to 160 kbit/s', ['-ar', '24000', '-ac', '2', '-q:a', '0']],
  ])('equals the whole decode for MPEG-2 frames (576 samples, one granule each): %s', async (name, args) => {
    const out = join(dir, `lsf-${name.length}.mp3`);
    ffmpeg('-i', corpusFile('neverball__track2.ogg'), '-t', '60', ...args, '-c:a', 'libmp3lame', out);
    const bytes = new Uint8Array(await readFile(out));
    expect(indexMp3(bytes)?.samplesPerFrame).toBe(576);
    await expectSameAsWhole(bytes);
  });

  it('decodes whole when the plan wants most of the file, or reads everything', async () => {
    const bytes = new Uint8Array(await readFile(corpusFile('cluecards__lobby.mp3')));
    expect((await decodeAudio(bytes, undefined, (n) => [[0, Math.floor(0.9 * n)]])).decoded).toBeUndefined();
    expect((await decodeAudio(bytes, undefined, () => null)).decoded).toBeUndefined();
  });

  it('decodes whole when junk between frames leaves their places uncertain', async () => {
    const bytes = new Uint8Array(await readFile(corpusFile('cluecards__lobby.mp3')));
    const index = indexMp3(bytes)!;
    const cut = index.offsets[2000]!;
    const junk = new Uint8Array(bytes.length + 7);
    junk.set(bytes.subarray(0, cut));
    junk.set(bytes.subarray(cut), cut + 7);
    expect(indexMp3(junk)).toBeNull();
    const a = await decodeAudio(junk, undefined, spread);
    expect(a.decoded).toBeUndefined();
    expect(a.channels[0]!.length).toBeGreaterThan(0.99 * index.length);
  });

  it('survives damaged streams: a decode or LL_AUDIO_CORRUPT, nothing else', async () => {
    const bytes = new Uint8Array(await readFile(corpusFile('cluecards__lobby.mp3')));
    const { offsets } = indexMp3(bytes)!;
    const rand = seededRandom(7);
    let inPart = 0;
    for (let trial = 0; trial < 16; trial++) {
      const b = bytes.slice();
      for (let k = 0; k < 50; k++) {
        // Half the trials hit frame headers too (the index then fails), half only frames' data (decoded in part).
        if (trial % 2) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
        else {
          const f = Math.floor(rand() * (offsets.length - 1));
          b[offsets[f]! + 4 + Math.floor(rand() * (offsets[f + 1]! - offsets[f]! - 4))] = Math.floor(rand() * 256);
        }
      }
      if (indexMp3(b)) inPart++;
      const r = await decodeAudio(b, undefined, spread).then(
        (a) => a.channels[0]!.length,
        (e: unknown) => e,
      );
      if (typeof r !== 'number') expect((r as LedgerlineError).code).toBe('LL_AUDIO_CORRUPT');
    }
    expect(inPart).toBeGreaterThanOrEqual(8);
  });

  it('gives detection the same answer as a whole decode', async () => {
    const path = corpusFile('cluecards__game-30s.mp3');
    const planned = await detect({ path });
    const whole = await detectAudio(await decodeAudio(new Uint8Array(await readFile(path))));
    expect(planned.score).toBe(whole.score);
    expect(planned.evidence).toEqual(whole.evidence);
  });
});
