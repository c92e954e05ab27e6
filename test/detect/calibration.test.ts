// Calibration and the verdict rules as pure functions: offsets chosen on human readings keep every
// one of them below the uncertain score; a doubted reading never accuses; the note check reads a
// planted harmonic series on a tuned grid as a note and a sample-rate comb beside tuned music as
// none.

import { describe, expect, it } from 'vitest';
import { calibrate, noteReading, residualSpectrum, tonalPeaks, scoreReadings, UNCERTAIN_SCORE, verdictOf, type RawReadings } from '../../src/detect/index.ts';
import { seededRandom } from '../../src/shared/index.ts';

describe('calibration', () => {
  it('puts every human reading it was chosen on at or below the uncertain score, reading by reading', () => {
    const humans: RawReadings[] = [
      { 'exact divisor': { logit: 2.5 }, persistence: { logit: -3 } },
      { 'exact divisor': { logit: -1 }, 'whole-file z': { logit: 0.4 } },
      // A doubted reading cannot accuse, so it needs no bar.
      { 'phase-locked': { logit: 9, doubt: 'a held note' } },
    ];
    const offsets = calibrate(humans);
    expect(offsets['phase-locked']).toBeUndefined();
    expect(offsets.persistence).toBe(0);
    for (const h of humans) expect(scoreReadings(h, offsets).score).toBeLessThanOrEqual(UNCERTAIN_SCORE + 1e-9);
    expect(offsets['exact divisor']).toBeCloseTo(2.5 - Math.log(0.2 / 0.8), 2);
    // A file beyond every human by more than ln 4 twice over is called ai through that reading.
    const generated: RawReadings = { 'exact divisor': { logit: 9 } };
    const s = scoreReadings(generated, offsets);
    expect(s.decidedBy).toBe('exact divisor');
    expect(verdictOf(s.score, null, 0.5)).toBe('ai');
  });

  it('never accuses on a doubted reading, however strong: it makes the verdict uncertain', () => {
    const s = scoreReadings({ 'phase-locked': { logit: 20, doubt: 'the lines could be a held note' }, persistence: { logit: -6 } }, {});
    expect(s.score).toBeLessThan(0.01);
    expect(s.doubted).toMatchObject({ reading: 'phase-locked', doubt: 'the lines could be a held note' });
    expect(verdictOf(s.score, s.doubted!.score, 0.5)).toBe('uncertain');
    // An undoubted reading as strong still accuses: the doubt explains one trace, not all.
    const both = scoreReadings({ 'phase-locked': { logit: 20, doubt: 'a held note' }, 'exact divisor': { logit: 8 } }, {});
    expect(verdictOf(both.score, both.doubted?.score ?? null, 0.5)).toBe('ai');
    expect(verdictOf(0.3, null, 0.5)).toBe('uncertain');
    expect(verdictOf(0.1, null, 0.5)).toBe('human');
  });
});

describe('the note check', () => {
  const rate = 44100;
  const size = 65536;
  const binHz = rate / size;
  /** A flat noisy spectrum with lines planted at `hz`, `db` above it. */
  function spectrum(lines: Array<[hz: number, db: number]>, seed: number) {
    const rand = seededRandom(seed);
    const p = Float64Array.from({ length: size / 2 + 1 }, () => 1 + 0.5 * rand());
    for (const [hz, db] of lines) p[Math.round(hz / binHz)]! *= 10 ** (db / 10);
    const res = residualSpectrum(p, binHz);
    return { tonal: tonalPeaks(p, res.peak, binHz) };
  }
  const tuned = (midi: number, cents = 0) => 440 * 2 ** ((midi - 69 + cents / 100) / 12);
  const series = (f0: number, db: number, upTo = 20000): Array<[number, number]> => Array.from({ length: Math.floor(upTo / f0) }, (_, k) => [(k + 1) * f0, db - 1.5 * Math.log2(k + 1)]);

  it('reads a held note among tuned notes as a note, and says why', () => {
    // G3 held (196.00 Hz, also 44100/225) with other notes of a piece tuned 12 cents sharp.
    const held = tuned(55, 12);
    const others = [52, 59, 62, 64, 67].flatMap((m) => series(tuned(m, 12), 18, 3000));
    const { tonal } = spectrum([...series(held, 20), ...others], 1);
    const n = noteReading(tonal, held);
    expect(n.note).toBe(true);
    expect(n.grid).toBe('music');
    expect(Math.abs(n.offsetCents)).toBeLessThan(6);
    expect(n.text).toMatch(/^the lines could be a held note: 19\d\.\d\d Hz sits [\d.]+ cents from the music's pitch grid/);
    // A comb of the note's even harmonics only (twice its spacing) is the same note.
    expect(noteReading(tonal, 2 * held).note).toBe(true);
  });

  it('does not take a sample-rate comb beside tuned music for a note', () => {
    // 44100/1024 = 43.07 Hz lines, faint, under music tuned to A = 440 Hz.
    const comb = rate / 1024;
    const lines: Array<[number, number]> = Array.from({ length: 400 }, (_, k) => [(k + 1) * comb, 4]);
    const music = [57, 60, 64, 67, 69].flatMap((m) => series(tuned(m), 18, 3000));
    const { tonal } = spectrum([...lines, ...music], 2);
    const n = noteReading(tonal, comb);
    expect(n.note).toBe(false);
    expect(Math.abs(n.offsetCents)).toBeGreaterThan(15);
    expect(n.text).toMatch(/^not a note: /);
  });
});
