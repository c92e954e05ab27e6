// Synthetic negatives made by the physics that fooled the detector on unseen game music: songs
// played on digital oscillators (naive pulse and saw waves, a 4-bit triangle, as chiptune and
// tracker music use), whose notes' harmonics are exact, phase-locked to the sample clock and reach
// Nyquist. Each song holds a drone on its tonic through the whole song (the worst case: a note
// present in every quarter), a bass on the chord roots, a 16th-note arpeggio and noise drums.
// The tuning is A = 440 Hz or a random offset of up to ±30 cents, so some notes land on whole
// divisors of the rate (44100/225 = 196.00 Hz = G3) and some do not. A person wrote such songs;
// no model made them, so every one the detector calls `ai` is a false accusation.

import { seededRandom } from '../src/shared/index.ts';

export interface SynthSong {
  samples: Float32Array;
  rate: number;
  /** Tonic of the drone, Hz, and the tuning offset, cents. */
  tonicHz: number;
  tuningCents: number;
}

const PROGRESSIONS = [
  [0, 7, 9, 5], // I-V-vi-IV
  [0, 5, 7, 0],
  [9, 5, 0, 7],
  [0, 3, 5, 7],
];

type Wave = (phase: number) => number;
const pulse =
  (duty: number): Wave =>
  (p) =>
    p < duty ? 1 : -1;
const saw: Wave = (p) => 2 * p - 1;
/** The NES triangle: 16 steps, so its harmonics reach Nyquist too. */
const triangle4: Wave = (p) => Math.round(15 * (p < 0.5 ? 2 * p : 2 - 2 * p)) / 7.5 - 1;

export function synthSong(seed: number, seconds: number, rate = 44100): SynthSong {
  const rand = seededRandom(seed);
  const tuningCents = rand() < 0.5 ? 0 : Math.round((rand() * 2 - 1) * 30);
  const ref = 440 * 2 ** (tuningCents / 1200);
  // Tonic between G2 and F#3 (MIDI 43..54): drones and basses of game music sit there.
  const tonicMidi = 43 + Math.floor(rand() * 12);
  const hz = (midi: number) => ref * 2 ** ((midi - 69) / 12);
  const tempo = 110 + Math.floor(rand() * 60);
  const sixteenth = Math.round((rate * 60) / tempo / 4);
  const progression = PROGRESSIONS[Math.floor(rand() * PROGRESSIONS.length)]!;
  const lead = [pulse(0.125), pulse(0.25), pulse(0.5), saw][Math.floor(rand() * 4)]!;
  const n = Math.floor(seconds * rate);
  const out = new Float32Array(n);
  const droneWave = rand() < 0.5 ? saw : pulse(0.5);
  // Drone: the tonic an octave up, the whole song.
  voice(out, 0, n, hz(tonicMidi + 12), droneWave, 0.12, rate);
  let noise = seed >>> 0 || 1;
  for (let bar = 0, start = 0; start < n; bar++, start += 16 * sixteenth) {
    const root = tonicMidi + progression[bar % progression.length]!;
    voice(out, start, Math.min(n, start + 16 * sixteenth), hz(root - 12 < 36 ? root : root - 12), triangle4, 0.25, rate);
    const chord = [0, progression[bar % progression.length]! % 2 ? 3 : 4, 7, 12];
    for (let s = 0; s < 16; s++) {
      const a = start + s * sixteenth;
      if (a >= n) break;
      voice(out, a, Math.min(n, a + sixteenth - 64), hz(root + 12 + chord[s % chord.length]!), lead, 0.1, rate);
      if (s % 4 === 0 || rand() < 0.2) {
        // Noise drum: the NES noise channel's LFSR, decaying.
        const len = Math.min(n - a, Math.round(rate * 0.08));
        for (let i = 0; i < len; i++) {
          noise = (noise >>> 1) | (((noise ^ (noise >>> 1)) & 1) << 14);
          out[a + i]! += ((noise & 1) * 2 - 1) * 0.15 * (1 - i / len);
        }
      }
    }
  }
  return { samples: out, rate, tonicHz: hz(tonicMidi), tuningCents };
}

/** One note: an exact phase increment, 5-ms attack and release, no interpolation (as trackers play). */
function voice(out: Float32Array, a: number, b: number, freq: number, wave: Wave, gain: number, rate: number): void {
  const ramp = Math.round(rate * 0.005);
  const inc = freq / rate;
  let phase = 0;
  for (let i = a; i < b; i++) {
    const env = Math.min(1, (i - a) / ramp, (b - i) / ramp);
    out[i]! += gain * env * wave(phase);
    phase += inc;
    if (phase >= 1) phase -= 1;
  }
}
