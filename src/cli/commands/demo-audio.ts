// The demo catalog's recordings, made in code so the quick start needs no audio of its own: a
// short piece per track (a chord progression of decaying harmonic tones, a melody over it, and
// a kick), different for each seed. Enough for fingerprints, screening and manifests to act on.

import { seededRandom } from '../../shared/index.ts';

const RATE = 22050;

export function demoPiece(seconds: number, seed: number): { samples: Float32Array; rate: number } {
  const rand = seededRandom(seed);
  const n = Math.round(seconds * RATE);
  const out = new Float32Array(n);
  const beat = Math.round((60 / (96 + Math.floor(rand() * 40))) * RATE);
  const tone = (at: number, hz: number, len: number, gain: number) => {
    for (let i = 0; i < len && at + i < n; i++) {
      const env = Math.exp(-i / (0.25 * len)) * Math.min(1, i / 64);
      const ph = (2 * Math.PI * hz * i) / RATE;
      out[at + i]! += gain * env * (Math.sin(ph) + 0.4 * Math.sin(2 * ph) + 0.2 * Math.sin(3 * ph));
    }
  };
  const root = 110 * 2 ** (Math.floor(rand() * 12) / 12);
  const chords = [[0, 4, 7], [5, 9, 12], [7, 11, 14], [-3, 0, 4]];
  const scale = [0, 2, 4, 5, 7, 9, 11, 12];
  for (let b = 0, at = 0; at < n; b++, at += beat) {
    if (b % 4 === 0) for (const st of chords[Math.floor(b / 4) % 4]!) tone(at, root * 2 ** (st / 12), beat * 4, 0.08);
    tone(at, root * 4 * 2 ** (scale[Math.floor(rand() * scale.length)]! / 12), beat, 0.1);
    for (let i = 0; i < 2000 && at + i < n; i++) out[at + i]! += 0.3 * Math.exp(-i / 400) * Math.sin((2 * Math.PI * 55 * i) / RATE);
  }
  return { samples: out, rate: RATE };
}
