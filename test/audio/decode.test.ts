// Decoding every supported format (made with sox and ffmpeg from the corpus), the ffmpeg
// fallback, limits, and corrupt input: a clear error, never a hang or a crash.

import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio, decodeFile, DEFAULT_LIMITS, RealFft, halve } from '../../src/audio/index.ts';
import { LedgerlineError } from '../../src/shared/index.ts';
import { synthMusic, wavBytes, type WavEncoding } from '../helpers/audio.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { edit, ffmpeg } from '../helpers/tools.ts';
import { runCli } from '../helpers/cli.ts';

let dir: string;
const SOURCE = () => corpusFile('neverball__track2.ogg');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'll-decode-'));
  // A 6-second reference excerpt every format below is made from.
  edit(SOURCE(), join(dir, 'ref.wav'), { start: 10, seconds: 6 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rms = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);

describe('WAV', () => {
  const tone = Float32Array.from({ length: 4410 }, (_, i) => 0.5 * Math.sin(i / 7));
  it.each<[WavEncoding, boolean, number]>([
    ['pcm8', false, 1 / 100],
    ['pcm16', false, 1 / 30000],
    ['pcm24', false, 1e-6],
    ['pcm32', false, 1e-8],
    ['float32', false, 1e-7],
    ['float64', false, 1e-7],
    ['pcm24', true, 1e-6],
    ['float32', true, 1e-7],
  ])('reads %s (extensible: %s) exactly', async (enc, ext, tol) => {
    const a = await decodeAudio(wavBytes([tone, tone], 22050, enc, ext));
    expect(a).toMatchObject({ format: 'wav', sampleRate: 22050 });
    expect(a.channels).toHaveLength(2);
    let err = 0;
    for (let i = 0; i < tone.length; i++) err = Math.max(err, Math.abs(a.channels[1]![i]! - tone[i]!));
    expect(err).toBeLessThan(tol);
  });
});

describe('compressed formats from the corpus', () => {
  const cases: Array<[string, string, (src: string, dst: string) => void, string]> = [
    ['FLAC', 'flac', (s, d) => edit(s, d), 'flac'],
    ['MP3', 'mp3', (s, d) => ffmpeg('-i', s, '-c:a', 'libmp3lame', '-b:a', '128k', d), 'mp3'],
    ['Ogg Vorbis', 'ogg', (s, d) => ffmpeg('-i', s, '-c:a', 'libvorbis', '-q:a', '4', d), 'vorbis'],
    ['Ogg Opus', 'opus', (s, d) => ffmpeg('-i', s, '-c:a', 'libopus', '-b:a', '96k', d), 'opus'],
    ['AIFF through ffmpeg', 'aiff', (s, d) => edit(s, d), 'ffmpeg'],
    ['M4A/AAC through ffmpeg', 'm4a', (s, d) => ffmpeg('-i', s, '-c:a', 'aac', '-b:a', '128k', d), 'ffmpeg'],
  ];
  it.each(cases)('decodes %s', async (_name, ext, make, format) => {
    const file = join(dir, `x.${ext}`);
    make(join(dir, 'ref.wav'), file);
    const ref = await decodeFile(join(dir, 'ref.wav'));
    const a = await decodeFile(file);
    expect(a.format).toBe(format);
    expect(a.durationSeconds).toBeGreaterThan(5.9);
    expect(a.durationSeconds).toBeLessThan(6.2);
    // Loudness survives the codec within 1.5 dB.
    const db = 20 * Math.log10(rms(a.channels[0]!) / rms(ref.channels[0]!));
    expect(Math.abs(db)).toBeLessThan(1.5);
  });

  it('names the format when ffmpeg is not there', async () => {
    const file = join(dir, 'y.m4a');
    ffmpeg('-i', join(dir, 'ref.wav'), '-c:a', 'aac', file);
    const r = await runCli(['match', file, '--data', join(dir, 'no-ffmpeg')], { LEDGERLINE_FFMPEG: '/nonexistent/ffmpeg' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/MP4\/M4A \(M4A\) needs ffmpeg, which is not installed/);
  });
});

describe('limits and bad input', () => {
  it('refuses audio over the duration limit without decoding all of it', async () => {
    const long = wavBytes([synthMusic(3, 8000)], 8000);
    await expect(decodeAudio(long, { ...DEFAULT_LIMITS, maxDurationSeconds: 2 })).rejects.toMatchObject({ code: 'LL_AUDIO_TOO_LONG' });
    const mp3 = join(dir, 'long.mp3');
    ffmpeg('-i', join(dir, 'ref.wav'), mp3);
    await expect(decodeFile(mp3, { ...DEFAULT_LIMITS, maxDurationSeconds: 2 })).rejects.toMatchObject({ code: 'LL_AUDIO_TOO_LONG' });
  });

  it('refuses a FLAC of silence whose channels, rate and length each pass but together would fill the machine', async () => {
    // 8 channels at 192 kHz for 10 minutes: 922 M samples (3.7 GB as Float32) from a 250-KB file.
    const bomb = join(dir, 'bomb.flac');
    ffmpeg('-f', 'lavfi', '-i', 'anullsrc=r=192000:cl=7.1', '-t', '600', '-c:a', 'flac', bomb);
    const bytes = new Uint8Array(readFileSync(bomb));
    expect(bytes.length).toBeLessThan(1024 * 1024);
    await expect(decodeAudio(bytes)).rejects.toMatchObject({ code: 'LL_AUDIO_TOO_LARGE', message: expect.stringMatching(/8 channels at 192000 Hz for 600 s decode to 922 M samples; the budget is 268 M/) });
    // The header's total zeroed (a streaming encoder's "unknown"): stopped at the budget as it decodes.
    const unknown = bytes.slice();
    unknown[8 + 13]! &= 0xf0;
    unknown.fill(0, 8 + 14, 8 + 18);
    await expect(decodeAudio(unknown, { ...DEFAULT_LIMITS, maxSamples: 32 * 1024 * 1024 })).rejects.toMatchObject({ code: 'LL_AUDIO_TOO_LARGE' });
    // A WAV's header is read the same way.
    await expect(decodeAudio(wavBytes([synthMusic(2, 8000), synthMusic(2, 8000)], 8000), { ...DEFAULT_LIMITS, maxSamples: 20_000 })).rejects.toMatchObject({ code: 'LL_AUDIO_TOO_LARGE' });
  });

  it('refuses too many channels and odd sample rates', async () => {
    const ch = Array.from({ length: 9 }, () => new Float32Array(100));
    await expect(decodeAudio(wavBytes(ch, 44100))).rejects.toMatchObject({ code: 'LL_AUDIO_TOO_MANY_CHANNELS' });
    await expect(decodeAudio(wavBytes([new Float32Array(100)], 4000))).rejects.toMatchObject({ code: 'LL_AUDIO_BAD_SAMPLE_RATE' });
  });

  it('says what is wrong with empty, unknown and truncated files', async () => {
    await expect(decodeAudio(new Uint8Array(0))).rejects.toMatchObject({ code: 'LL_AUDIO_EMPTY' });
    await expect(decodeAudio(new TextEncoder().encode('hello, I am not audio at all'))).rejects.toMatchObject({
      code: 'LL_AUDIO_UNSUPPORTED_FORMAT',
      message: expect.stringMatching(/not a recognised audio format/),
    });
    const wav = wavBytes([synthMusic(1, 8000)], 8000);
    await expect(decodeAudio(wav.subarray(0, wav.length / 2))).rejects.toMatchObject({ code: 'LL_AUDIO_CORRUPT', message: expect.stringMatching(/truncated/) });
    await expect(decodeAudio(wav.subarray(0, 30))).rejects.toMatchObject({ code: 'LL_AUDIO_CORRUPT' });
  });

  it('survives fuzzed files of every format: each decodes or fails with an LL_AUDIO error', async () => {
    const ref = join(dir, 'ref.wav');
    const files = [ref];
    for (const [ext, codec] of [['flac', 'flac'], ['mp3', 'libmp3lame'], ['ogg', 'libvorbis'], ['opus', 'libopus']]) {
      files.push(join(dir, `fuzz.${ext}`));
      ffmpeg('-i', ref, '-c:a', codec!, join(dir, `fuzz.${ext}`));
    }
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
    let failures = 0;
    let decoded = 0;
    for (const f of files) {
      const original = new Uint8Array(await readFile(f));
      for (let round = 0; round < 25; round++) {
        const b = original.slice(0, round % 3 === 0 ? Math.floor(random() * original.length) : original.length);
        const flips = 1 + Math.floor(random() * 200);
        for (let i = 0; i < flips; i++) b[Math.floor(random() * b.length)] = Math.floor(random() * 256);
        try {
          await decodeAudio(b, { ...DEFAULT_LIMITS, maxDurationSeconds: 60 });
          decoded++;
        } catch (err) {
          expect(err).toBeInstanceOf(LedgerlineError);
          expect((err as LedgerlineError).code).toMatch(/^LL_AUDIO_/);
          failures++;
        }
      }
    }
    expect(decoded + failures).toBe(125);
  }, 120_000);
});

describe('DSP kernels against naive references', () => {
  it('real FFT power equals the DFT', () => {
    const n = 256;
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + 0.3 * Math.cos(i * 2.1) + ((i * 7919) % 13) / 50);
    const out = new Float32Array(n / 2 + 1);
    new RealFft(n).power(x, out);
    for (let k = 0; k <= n / 2; k++) {
      let re = 0;
      let im = 0;
      for (let t = 0; t < n; t++) {
        re += x[t]! * Math.cos((-2 * Math.PI * k * t) / n);
        im += x[t]! * Math.sin((-2 * Math.PI * k * t) / n);
      }
      expect(out[k]!).toBeCloseTo(re * re + im * im, 2);
    }
  });

  it('halving passes the band and removes what would alias', () => {
    const tone = (f: number) => Float32Array.from({ length: 44100 }, (_, i) => Math.sin((2 * Math.PI * f * i) / 44100));
    const level = (x: Float32Array) => rms(x.subarray(200, x.length - 200));
    expect(level(halve(tone(3000)))).toBeCloseTo(Math.SQRT1_2, 2);
    expect(level(halve(tone(15000)))).toBeLessThan(0.01);
  });
});
