// Synthetic songs as chroma, to fill the composition index to a catalog size no corpus reaches
// (as synthetic.ts fills the fingerprint index). Each song is what makes composition matching
// hard: common chord progressions (I-V-vi-IV and its relatives) in a random key and tempo, a
// verse and a chorus, a bass on the root, a melody on chord and scale tones, and noise. It is a
// fill in feature space, not audio: it measures how the shortlist ranks a real work among many
// harmonically ordinary ones, not how chroma extraction behaves.

import { FRAME_SECONDS, type Chroma } from '../src/composition/index.ts';

/** Progressions as scale degrees (0 = I) with minor flags, the commonest of popular music. */
const PROGRESSIONS: Array<Array<[number, boolean]>> = [
  [[0, false], [7, false], [9, true], [5, false]], // I-V-vi-IV
  [[9, true], [5, false], [0, false], [7, false]], // vi-IV-I-V
  [[0, false], [5, false], [7, false], [0, false]], // I-IV-V-I
  [[0, false], [9, true], [5, false], [7, false]], // I-vi-IV-V
  [[2, true], [7, false], [0, false], [9, true]], // ii-V-I-vi
  [[0, true], [8, false], [3, false], [10, false]], // i-VI-III-VII
  [[0, true], [5, true], [7, true], [0, true]], // i-iv-v-i
  [[0, false], [10, false], [5, false], [0, false]], // I-bVII-IV-I
];
const MAJOR = [0, 2, 4, 5, 7, 9, 11];

export function syntheticChroma(seconds: number, random: () => number): Chroma {
  const frames = Math.round(seconds / FRAME_SECONDS);
  const data = new Float32Array(frames * 12);
  const key = Math.floor(random() * 12);
  const verse = PROGRESSIONS[Math.floor(random() * PROGRESSIONS.length)]!;
  const chorus = PROGRESSIONS[Math.floor(random() * PROGRESSIONS.length)]!;
  const chordFrames = 2 + Math.floor(random() * 7);
  const noise = 0.05 + random() * 0.25;
  let melody = key;
  for (let f = 0; f < frames; f++) {
    const bar = Math.floor(f / chordFrames);
    const progression = Math.floor(bar / 8) % 2 === 0 ? verse : chorus;
    const [degree, minor] = progression[bar % progression.length]!;
    const root = (key + degree) % 12;
    const row = f * 12;
    data[row + root]! += 1.2;
    data[row + ((root + (minor ? 3 : 4)) % 12)]! += 0.7;
    data[row + ((root + 7) % 12)]! += 0.8;
    if (random() < 0.6) melody = random() < 0.5 ? [root, root + (minor ? 3 : 4), root + 7][Math.floor(random() * 3)]! % 12 : (key + MAJOR[Math.floor(random() * 7)]!) % 12;
    data[row + melody]! += 0.6;
    let norm = 0;
    for (let k = 0; k < 12; k++) {
      data[row + k]! += noise * random();
      norm += data[row + k]! ** 2;
    }
    norm = Math.sqrt(norm);
    for (let k = 0; k < 12; k++) data[row + k]! /= norm;
  }
  return { data, frames, frameSeconds: FRAME_SECONDS, tuningCents: 0 };
}
