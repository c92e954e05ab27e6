// The detector on real audio: real generated music and human music from ../shared, a comb made
// by a known periodic pattern under real music (found at the exact divisor, and after a speed
// change at the shifted spacing), stereo rebuilt by Griffin-Lim (from ../shared and by our own
// implementation), the not-assessable cases, bad bytes, and a second detector plugged in beside
// the first.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio, decodeFile, toMono } from '../../src/audio/index.ts';
import { ARTIFACT_SETTINGS, channelAgreement, checkThreshold, detect, detectAudio, heldDip, readLoneSpacing, readSpacingAtOtherRates, residualSpectrum, searchComb, searchDivisors, type Detector } from '../../src/detect/index.ts';
import { griffinLim } from '../../bench/griffin-lim.ts';
import { synthSong } from '../../bench/synth-music.ts';
import { LedgerlineError, seededRandom } from '../../src/shared/index.ts';
import { wavBytes } from '../helpers/audio.ts';
import { corpusFile } from '../helpers/corpus.ts';
import { edit, ffmpeg } from '../helpers/tools.ts';

const AI = resolve(process.env.LEDGERLINE_AI_MUSIC ?? join(import.meta.dirname, '../../../shared/ai-music'));
const aiFile = (name: string) => join(AI, 'audio', name);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'll-detect-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Flat noisy power spectra of 65536-sample frames at `rate` (`flat`), and a comb planted in one:
 * every line of `spacingHz` up to 50 Hz below Nyquist multiplied by `gain` (`plant`).
 */
function plantedSpectra(rate: number, seed: number) {
  const binHz = rate / 65536;
  const rand = seededRandom(seed);
  const flat = () => Float64Array.from({ length: 32_769 }, () => 1 + rand());
  const plant = (p: Float64Array, spacingHz: number, gain: number) => {
    for (let f = spacingHz; f < rate / 2 - 50; f += spacingHz) p[Math.round(f / binHz)]! *= gain;
    return p;
  };
  return { binHz, flat, plant };
}

type Comb = { spacingHz: number; divisor: number | null; divisorOfRate: number | null; exactDivisor: boolean; speedChange: number; harmonics: number; segments: { holdIn: number } };
const combOf = (d: { evidence: Record<string, unknown> }) => (d.evidence['spectral-artifacts'] as { comb: Comb }).comb;
type Periodicity = { period: string; z: number; segments: { z: number[] }; audioCombZ: number | null };
const artifactsOf = (d: { evidence: Record<string, unknown> }) => d.evidence['spectral-artifacts'] as { comb: Comb & { decidedBy: string; z: number }; periodicity: Periodicity };

/** 40 s of a human track with a fixed 256-sample pattern added 30 dB under it (a 44100/256 comb). */
async function combUnderMusic(): Promise<string> {
  const src = join(dir, 'src.wav');
  edit(corpusFile('neverball__track1.ogg'), src, { seconds: 40 });
  const x = toMono((await decodeFile(src)).channels);
  const rand = seededRandom(3);
  const pattern = Float32Array.from({ length: 256 }, () => rand() * 2 - 1);
  let ex = 0;
  for (const v of x) ex += v * v;
  const g = Math.sqrt(ex / x.length) * 10 ** (-30 / 20) / Math.sqrt(1 / 3);
  const y = Float32Array.from(x, (v, i) => v + g * pattern[i % 256]!);
  const out = join(dir, 'comb.wav');
  await writeFile(out, wavBytes([y], 44100, 'pcm16'));
  return out;
}

describe('spectral-artifact detector', () => {
  it('finds a 44100/256 comb 30 dB under real music, exactly, with readable evidence and a plot', async () => {
    const d = await detect({ path: await combUnderMusic(), plot: true });
    expect(d.verdict).toBe('ai');
    const c = combOf(d);
    expect(c.spacingHz).toBeCloseTo(44100 / 256, 1);
    expect(c.divisor).toBe(256);
    expect(c.exactDivisor).toBe(true);
    expect(c.segments.holdIn).toBe(4);
    expect(d.reason).toMatch(/172\.27 Hz = 44100\/256/);
    const svg = d.plots['spectral-artifacts']!;
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/comb harmonics marked/);
  });

  it('follows the comb when the track is sped up by 2% (continuous spacing search)', async () => {
    const fast = join(dir, 'fast.wav');
    edit(await combUnderMusic(), fast, { speed: 1.02 });
    const c = combOf(await detect({ path: fast }));
    expect(c.spacingHz).toBeCloseTo((44100 / 256) * 1.02, 0);
    expect(c.exactDivisor).toBe(false);
    // Near 256 whole divisors are dense (250 = 2·5³ is closer): the reading names one and the
    // speed change it implies, within the ±7% it considers.
    expect(Math.abs(c.speedChange)).toBeLessThan(0.07);
  });

  it('calls real generated music ai, at its native sample rate, naming the architecture', async () => {
    const musika = await detect({ path: aiFile('deezer_musika_000002.mp3') });
    expect(musika.verdict).toBe('ai');
    expect(combOf(musika).divisor).toBe(1024);
    const musicgen = await detect({ path: aiFile('musicongen_sample4_105_funk.mp3') });
    expect(musicgen.verdict).toBe('ai');
    expect(musicgen.sampleRate).toBe(32000);
    expect(musicgen.reason).toMatch(/= 32000\/640/);
    // A comb too faint to believe among every spacing (z about 15, where chance reaches 17 in
    // human music), but not among the hundred whole divisors of the rate.
    const faint = await detect({ path: aiFile('musicongen_sample3_132_blues.mp3') });
    expect(faint.verdict).toBe('ai');
    expect(combOf(faint)).toMatchObject({ divisor: 640, exactDivisor: true, foundBy: 'whole divisors', decidedBy: 'exact divisor' });
    expect((combOf(faint) as Comb & { z: number }).z).toBeLessThan(ARTIFACT_SETTINGS.readings.whole.free);
    expect(faint.reason).toMatch(/= 32000\/640: .* at an exact divisor of the sample rate/);
  });

  it('reads a 3 kbps codec by the period of its statistics, confirmed by a faint comb at the same spacing', async () => {
    const d = await detect({ path: aiFile('deezer_encodec3_000002.mp3'), plot: true });
    expect(d.verdict).toBe('ai');
    // Its level repeats every 40 samples, so every 80 as well: either may be the one reported.
    expect(d.plots['spectral-artifacts']).toMatch(/Level of the fine detail: .* its period's lines \(every (1102|551)\.\d+ Hz\) marked/);
    const ev = artifactsOf(d);
    expect(ev.comb.decidedBy).toBe('periodic statistics');
    expect([40, 80]).toContain(ev.comb.divisor);
    expect(ev.periodicity.period).toBe(`${ev.comb.divisor} samples`);
    expect(d.reason).toMatch(/^peaks every [\d.]+ Hz = 44100\/(40|80): .*the fine detail's level repeats every (40|80) samples \(z [\d.]+, at least [\d.]+ in every segment\), and the audio's comb at that spacing has z/);
    expect(Math.min(...ev.periodicity.segments.z)).toBeGreaterThanOrEqual(3);
    expect(ev.periodicity.audioCombZ).toBe(ev.comb.z);
    // The audio's comb alone is weaker than chance among every spacing allows.
    expect(ev.comb.z).toBeLessThan(10);
  });

  it('reads a codec converted from 44.1 to 48 kHz at its own rate, where both families agree', async () => {
    const converted = join(dir, 'lac-48k.wav');
    edit(aiFile('deezer_lac14_000835.mp3'), converted, { rate: 48000 });
    const d = await detect({ path: converted });
    expect(d.verdict).toBe('ai');
    expect(artifactsOf(d).comb).toMatchObject({ decidedBy: 'periodic statistics', divisor: 32, divisorOfRate: 44100 });
    expect(d.reason).toMatch(/= 44100\/32: .* working at 44100 Hz before the file was converted to 48000 Hz/);
    expect(readSpacingAtOtherRates(48000, 44100 / 32, 0.01)).toMatchObject({ divisor: 32, rate: 44100, exact: true });
    expect(readSpacingAtOtherRates(48000, 1234.5, 0.01)).toBeNull();
  });

  it('reads a lone comb in a 48-kHz file at the 44.1-kHz rate of the model it came from, as Opus delivers it', async () => {
    // LAC's comb (44100/768) alone, without the statistics' agreement: Opus decodes at 48 kHz.
    const opus = join(dir, 'lac2.opus');
    ffmpeg('-i', aiFile('deezer_lac2_000002.mp3'), '-c:a', 'libopus', '-b:a', '96k', opus);
    const d = await detect({ path: opus });
    expect(d.sampleRate).toBe(48000);
    expect(d.verdict).toBe('ai');
    expect(artifactsOf(d).comb).toMatchObject({ divisor: 768, divisorOfRate: 44100, exactDivisor: true });
    expect(d.reason).toMatch(/= 44100\/768: .* working at 44100 Hz before the file was converted to 48000 Hz/);
    // Not the other way round: 50 Hz (48000/960) is a 125-BPM tracker's tick in a 44.1-kHz file.
    expect(readLoneSpacing(48000, 44100 / 768, 0.01)).toMatchObject({ divisor: 768, rate: 44100, exact: true });
    expect(readLoneSpacing(44100, 50, 0.01)).toMatchObject({ exact: false });
  });

  it('judges another rate\'s divisors against that rate\'s encoder grid', () => {
    // A 44.1-kHz MP3 converted to 48 kHz keeps its granule lines at 44100/576 Hz; they explain
    // every comb at a divisor of 576 of that rate, which must not pass for a converted model.
    const { binHz, flat, plant } = plantedSpectra(48000, 9);
    const search = { minSpacingHz: 40, maxSpacingHz: 5000, loHz: 3000, hiHz: 20_000, minHarmonics: 4 };
    const granule = searchDivisors(residualSpectrum(plant(flat(), 44100 / 576, 3), binHz), 48000, search, { top: 1, alsoAt: [44100] })[0]!;
    expect(granule.z).toBeLessThan(5);
    const model = residualSpectrum(plant(flat(), 44100 / 256, 3), binHz);
    expect(Math.round(44100 / searchDivisors(model, 48000, search, { top: 1, alsoAt: [44100] })[0]!.spacingHz)).toBe(256);
    // At the file's rate alone, nothing that strong is found.
    expect(searchDivisors(model, 48000, search, { top: 1 })[0]!.z).toBeLessThan(5);
  });

  it('does not take a low-quality resampler\'s periodic statistics for a generator', async () => {
    // A low-quality resampler (linear interpolation, 32 -> 48 kHz) leaves a strong periodic level in human music but no
    // comb in the audio itself.
    const resampled = join(dir, 'resampled.wav');
    edit(aiFile('musicongen_survey1_97_ref.mp3'), resampled, { quickRate: 48000 });
    const d = await detect({ path: resampled });
    const ev = artifactsOf(d);
    expect(ev.periodicity.z).toBeGreaterThan(9);
    expect(Math.min(...ev.periodicity.segments.z)).toBeGreaterThan(3);
    expect(d.verdict).toBe('human');
    expect(d.reason).toMatch(/the fine detail's level repeats every [\d.]+ samples .* but the audio's comb at that spacing has z/);
  });

  it('reads the MP3 granule comb (fs/576) as the encoder\'s, not a generator\'s', async () => {
    const d = await detect({ path: corpusFile('tsc__land-hyper_2.ogg') });
    expect(d.verdict).toBe('human');
    expect(combOf(d)).toMatchObject({ divisor: 576, exactDivisor: false, codecGrid: 'the MP3 granule' });
  });

  it('still calls generated music ai after a 2% speed change either way: its comb keeps one phase through the file', async () => {
    type Locked = Comb & { decidedBy: string; z: number; phaseLockedShare: number | null };
    for (const [file, factor] of [['musicongen_sample2_359_funk.mp3', '1.02'], ['musicongen_sample2_359_funk.mp3', '0.98'], ['musicongen_sample1_97_blues.mp3', '1.02']] as const) {
      const moved = join(dir, `${file}-${factor}.wav`);
      edit(aiFile(file), moved, { speed: Number(factor) });
      const d = await detect({ path: moved });
      const c = combOf(d) as Locked;
      expect(d.verdict, `${file} ${factor}`).toBe('ai');
      expect(c.exactDivisor).toBe(false);
      expect(c.spacingHz).toBeCloseTo(50 * Number(factor), 1);
      expect(c.decidedBy).toBe('phase-locked');
      expect(c.phaseLockedShare).toBeGreaterThanOrEqual(ARTIFACT_SETTINGS.readings.locked.minShare);
      expect(d.reason).toMatch(/over the whole file, at least 5 in every segment, and \d+% of the lines' energy keeps one phase through the file/);
    }
    // Human combs as strong: a tracker loop missing from one quarter, and a tracker song's comb
    // present throughout whose phase wanders.
    for (const factor of ['1.02', '0.98']) {
      const moved = join(dir, `cave-${factor}.wav`);
      edit(corpusFile('tsc__land-cave_1.ogg'), moved, { speed: Number(factor) });
      expect((await detect({ path: moved })).verdict, factor).toBe('human');
    }
    const tracker = join(dir, 'track5-1.02.wav');
    edit(corpusFile('neverball__track5.ogg'), tracker, { seconds: 60, speed: 1.02 });
    const t = await detect({ path: tracker });
    expect(t.verdict).toBe('human');
    const tc = combOf(t) as Locked;
    expect(tc.z).toBeGreaterThan(12);
    expect(tc.phaseLockedShare).toBeLessThan(0.05);
  });

  it('calls Griffin-Lim stereo ai by the frame length its channels were rebuilt in, where no comb is left; after MP3 too', async () => {
    type Rebuilt = { applicable: boolean; frameSamples: number; heldDipDb: number; segments: { dipDb: number[] }; levelDifferenceDb: Record<string, number>; text: string };
    const rebuiltOf = (d: { evidence: Record<string, unknown> }) => (d.evidence['spectral-artifacts'] as { reconstruction: Rebuilt }).reconstruction;
    const midpoint = ARTIFACT_SETTINGS.reconstruction.midpointDb;
    const gl = await detect({ path: aiFile('deezer_griffin256_000002.mp3') });
    expect(gl.verdict).toBe('ai');
    expect(gl.reason).toMatch(/rebuilt one by one from spectrograms of \d+-sample frames/);
    const r = rebuiltOf(gl);
    expect(r.applicable).toBe(true);
    expect(r.frameSamples).toBeGreaterThanOrEqual(2896);
    expect(r.frameSamples).toBeLessThanOrEqual(5793);
    expect(r.heldDipDb).toBeGreaterThan(midpoint);
    expect(r.segments.dipDb.every((d) => d > 0)).toBe(true);
    expect(Object.keys(r.levelDifferenceDb)).toHaveLength(10);
    expect(combOf(gl).segments.holdIn).toBeLessThan(4);
    const mp3 = join(dir, 'gl.mp3');
    ffmpeg('-i', aiFile('deezer_griffin256_000002.mp3'), '-c:a', 'libmp3lame', '-b:a', '128k', mp3);
    expect((await detect({ path: mp3 })).verdict).toBe('ai');
    // The human original: stereo, compared, no dip.
    const real = rebuiltOf(await detect({ path: aiFile('deezer_real_000002.mp3') }));
    expect(real.applicable).toBe(true);
    expect(real.heldDipDb).toBeLessThan(midpoint / 2);
    // Nothing to compare: one channel, or two carrying the same signal.
    const monoPath = join(dir, 'mono.wav');
    edit(aiFile('deezer_real_000002.mp3'), monoPath, { mono: true, seconds: 25 });
    const mono = rebuiltOf(await detect({ path: monoPath }));
    expect(mono.applicable).toBe(false);
    expect(mono.text).toMatch(/one channel/);
    const twin = rebuiltOf(await detect({ path: aiFile('musicongen_sample1_97_rock.mp3') }));
    expect(twin.applicable).toBe(false);
    expect(twin.text).toMatch(/the same signal/);
  });

  it('finds the frame length of our own Griffin-Lim (each channel rebuilt alone from 1024-sample frames)', async () => {
    const src = join(dir, 'gl-src.wav');
    edit(corpusFile('cluecards__lobby.mp3'), src, { start: 10, seconds: 30 });
    const audio = await decodeFile(src);
    const before = channelAgreement(audio.channels, audio.sampleRate);
    const rebuilt = audio.channels.map((c, ch) => griffinLim(c, { frame: 1024, iterations: 32, momentum: 0 }, 5 + ch));
    const after = channelAgreement(rebuilt, audio.sampleRate);
    if (!('agreement' in before) || !('agreement' in after)) throw new Error('stereo expected');
    expect(heldDip(before.agreement)).toBeLessThan(ARTIFACT_SETTINGS.reconstruction.midpointDb / 2);
    expect(after.agreement.dipAt).toBe(1024);
    expect(heldDip(after.agreement)).toBeGreaterThan(ARTIFACT_SETTINGS.reconstruction.midpointDb);
  });

  it('calls human music human, chiptune-like game music included', async () => {
    for (const f of ['neverball__track1.ogg', 'tsc__land-hyper_2.ogg', 'digabi__chopin_eliogu_op55_no1.mp3', 'opensurge__waterworks.ogg']) {
      const d = await detect({ path: corpusFile(f) });
      expect(d.verdict, f).toBe('human');
      expect(d.score!, f).toBeLessThan(0.5);
    }
    const real = await detect({ path: aiFile('deezer_real_000002.mp3'), plot: true });
    expect(real.verdict).toBe('human');
    // Neither the plot nor the evidence of a human verdict reads as an accusation.
    const headline = /<text[^>]*>([^<]*)<\/text>/.exec(real.plots['spectral-artifacts']!)![1]!;
    expect(headline).toMatch(/^score 0(\.\d+)?, no generator's trace found/);
    expect(headline).not.toMatch(/upsampling stack whose|rebuilt/);
    const rebuilt = (real.evidence['spectral-artifacts'] as unknown as { reconstruction: { text: string } }).reconstruction.text;
    expect(rebuilt).toMatch(/^no sign of channels rebuilt one by one/);
  });

  it('never calls a song on digital oscillators ai: a held note\'s exact, phase-locked harmonics are read as a note, and said so', async () => {
    for (const seed of [5000, 5006]) {
      // The tonic held as a drone through the song, as game music does (bench/synth-music.ts).
      const song = synthSong(seed, 30);
      const path = join(dir, `synth-${seed}.wav`);
      await writeFile(path, wavBytes([song.samples], song.rate, 'pcm16'));
      const d = await detect({ path, plot: true });
      expect(d.verdict, String(seed)).not.toBe('ai');
      expect(d.score!).toBeLessThan(0.5);
      const ev = d.evidence['spectral-artifacts'] as unknown as { doubt: { reading: string; text: string } | null; comb: { note: string } };
      expect(ev.doubt?.text).toMatch(/the lines could be a held note: .* sits [\d.]+ cents from the music's pitch grid .* stands [\d.]+ dB above its neighbourhood/);
      expect(d.reason).toMatch(/but the lines could be a held note/);
      const headline = /<text[^>]*>([^<]*)<\/text>/.exec(d.plots['spectral-artifacts']!)![1]!;
      expect(headline).toMatch(/uncertain: .*held note/);
      expect(headline).not.toMatch(/read as generated/);
    }
  });

  it('takes a finer comb that a held note\'s harmonics carry for the note\'s, where Opus makes it a whole divisor of 48 kHz', async () => {
    const song = synthSong(7011, 30);
    const wav = join(dir, 'synth-7011.wav');
    await writeFile(wav, wavBytes([song.samples], song.rate, 'pcm16'));
    const opus = join(dir, 'synth-7011.opus');
    ffmpeg('-i', wav, '-c:a', 'libopus', '-b:a', '96k', opus);
    const d = await detect({ path: opus });
    expect(d.verdict).not.toBe('ai');
    const ev = d.evidence['spectral-artifacts'] as unknown as { readings: Record<string, { logit: number; doubt?: string }> };
    // 44.45 Hz = 48000/1080 = 311.12 Hz / 7: strong at an exact divisor, but only through the note's lines.
    expect(ev.readings['exact divisor']!.logit).toBeGreaterThan(0);
    expect(ev.readings['exact divisor']!.doubt).toMatch(/the lines could be held notes' harmonics: the comb every 44\.4\d Hz shares lines with the notes? at 311\.1\d Hz.*without those its z is -?[\d.]+ \(a comb needs 5/);
  });

  it('takes a channel dip at a lossy codec\'s block length for the codec\'s, not a generator\'s', async () => {
    // A Vorbis song whose decoded channels agree best in 2048-sample frames: Vorbis couples the
    // channels in its 2048-sample long blocks.
    const d = await detect({ path: corpusFile('starfighter__sleeping_with_androids.ogg') });
    expect(d.verdict).not.toBe('ai');
    const ev = d.evidence['spectral-artifacts'] as unknown as { readings: Record<string, { doubt?: string }>; reconstruction: { frameSamples: number } };
    expect(ev.reconstruction.frameSamples).toBe(2048);
    expect(ev.readings['channels rebuilt']!.doubt).toMatch(/lossy codec codes the channels together in blocks of 2048 samples/);
  });

  it('judges 10-s clips: a generator\'s comb is found in 10 s, at 16 kHz too', async () => {
    const clip = join(dir, 'clip10.wav');
    edit(aiFile('musicongen_sample0_443_funk.mp3'), clip, { start: 5, seconds: 10 });
    const d = await detect({ path: clip });
    expect(d.verdict).toBe('ai');
    expect(combOf(d)).toMatchObject({ divisor: 640, exactDivisor: true });
    // A 16-kHz model's own output, 10.2 s: judged in the band it has.
    const narrow = await detect({ path: aiFile('comliwenlong_musicldm_tranquil_piano.wav') });
    expect(narrow.sampleRate).toBe(16000);
    expect(narrow.verdict).toBe('ai');
    expect(combOf(narrow)).toMatchObject({ divisor: 160, exactDivisor: true });
  });

  it('says not_assessable, with the reason, for short, silent and band-limited audio', async () => {
    const short = join(dir, 'short.wav');
    edit(corpusFile('neverball__track1.ogg'), short, { seconds: 6 });
    const s = await detect({ path: short });
    expect(s).toMatchObject({ verdict: 'not_assessable', score: null });
    expect(s.reason).toMatch(/too short: 6\.0 s, and at least 8 s are needed/);

    const silent = await detectAudio(await decodeAudio(wavBytes([new Float32Array(44100 * 30)], 44100)));
    expect(silent.verdict).toBe('not_assessable');
    expect(silent.reason).toMatch(/silence/);

    const narrow = join(dir, 'narrow.wav');
    edit(corpusFile('neverball__track1.ogg'), narrow, { seconds: 30, lowpassHz: 3000 });
    const n = await detect({ path: narrow });
    expect(n.verdict).toBe('not_assessable');
    expect(n.reason).toMatch(/band-limited/);
  });

  it('refuses corrupt bytes with an audio error code, and fuzzed files never escape as other errors', async () => {
    await expect(detect({ bytes: new TextEncoder().encode('definitely not audio') })).rejects.toMatchObject({ code: expect.stringMatching(/^LL_AUDIO_/) });
    const good = await readFile(aiFile('deezer_real_000002.mp3'));
    const rand = seededRandom(11);
    for (let i = 0; i < 25; i++) {
      const bytes = Uint8Array.from(good.subarray(0, 200_000));
      for (let k = 0; k < 40; k++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      try {
        const d = await detect({ bytes });
        expect(['ai', 'uncertain', 'human', 'not_assessable']).toContain(d.verdict);
      } catch (err) {
        expect(err).toBeInstanceOf(LedgerlineError);
      }
    }
  });

  it('takes a second detector without any change to callers; the most confident one decides', async () => {
    const audio = await decodeFile(corpusFile('neverball__track1.ogg'));
    const always: Detector = { name: 'always-ai', version: 1, analyse: () => ({ detector: 'always-ai', version: 1, score: 0.97, reason: 'a test detector', evidence: { note: 'x' } }) };
    const silentOne: Detector = { name: 'cannot-judge', version: 1, analyse: () => ({ detector: 'cannot-judge', version: 1, score: null, reason: 'no opinion', evidence: {} }) };
    const { DETECTORS } = await import('../../src/detect/index.ts');
    const d = await detectAudio(audio, { detectors: [...DETECTORS, always, silentOne] });
    expect(d).toMatchObject({ verdict: 'ai', score: 0.97, reason: 'a test detector' });
    expect(Object.keys(d.evidence).sort()).toEqual(['always-ai', 'cannot-judge', 'spectral-artifacts']);
    expect((d.evidence['spectral-artifacts'] as { score: number }).score).toBeLessThan(0.5);
  });

  it('checks the threshold', () => {
    expect(() => checkThreshold(0)).toThrow(expect.objectContaining({ code: 'LL_DETECT_BAD_THRESHOLD' }));
    expect(() => checkThreshold(Number.NaN)).toThrow(expect.objectContaining({ code: 'LL_DETECT_BAD_THRESHOLD' }));
    expect(checkThreshold(0.9)).toBe(0.9);
  });
});

describe('comb search', () => {
  it('finds a planted comb at a non-integer spacing in a flat noisy spectrum, and nothing strong without it', () => {
    const binHz = 0.5;
    const rand = seededRandom(5);
    const flat = Float64Array.from({ length: 40_000 }, () => 1 + rand());
    const planted = Float64Array.from(flat);
    for (let f = 123.4; f < 19_000; f += 123.4) planted[Math.round(f / binHz)]! *= 4;
    const search = { minSpacingHz: 40, maxSpacingHz: 3000, loHz: 3000, hiHz: 18_000, minHarmonics: 4 };
    const found = searchComb(residualSpectrum(planted, binHz), search)!;
    expect(found.spacingHz).toBeCloseTo(123.4, 1);
    expect(found.z).toBeGreaterThan(20);
    const none = searchComb(residualSpectrum(flat, binHz), search)!;
    expect(none.z).toBeLessThan(8);
  });

  it('searches the whole divisors of the rate, discounting the lines an encoder grid explains', () => {
    const { binHz, flat, plant } = plantedSpectra(44100, 8);
    const search = { minSpacingHz: 40, maxSpacingHz: 5000, loHz: 3000, hiHz: 20_000, minHarmonics: 4 };
    // A generator's comb at 44100/32 is found at its divisor.
    expect(Math.round(44100 / searchDivisors(residualSpectrum(plant(flat(), 44100 / 32, 3), binHz), 44100, search, { top: 1 })[0]!.spacingHz)).toBe(32);
    // The MP3 granule comb (44100/576) explains every comb at a divisor of 576, such as 44100/192:
    // whatever is found instead is weak.
    const granule = searchDivisors(residualSpectrum(plant(flat(), 44100 / 576, 3), binHz), 44100, search, { top: 1 })[0];
    expect(576 % Math.round(44100 / granule!.spacingHz)).not.toBe(0);
    expect(granule!.z).toBeLessThan(5);
    // With both, the generator's comb is judged on the lines it does not share with the granule.
    const both = searchDivisors(residualSpectrum(plant(plant(flat(), 44100 / 576, 3), 44100 / 40, 3), binHz), 44100, search, { top: 1 })[0]!;
    expect(Math.round(44100 / both.spacingHz)).toBe(40);
    expect(both.skipEvery).toBe(5);
  });
});
