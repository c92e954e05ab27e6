// Spectral ceiling: the highest frequency with content, and how abruptly the spectrum ends there.
// A model that works at 16, 24 or 32 kHz has nothing above 8, 12 or 16 kHz, and when its output
// is resampled to 44.1/48 kHz the edge sits exactly at the model's Nyquist frequency and falls
// by tens of dB within a few hundred Hz (the resampler's transition band). A lossy encoder's
// low-pass lands on encoder-specific frequencies instead, so the ceiling is evidence only when it
// matches a model rate; it never decides a verdict alone.

export interface Ceiling {
  /** Highest frequency whose level is within 60 dB of the music's level, Hz. */
  hz: number;
  /** Level drop across the edge (mean 200-600 Hz below minus 200-600 Hz above), dB. */
  dropDb: number;
  /** A generative model's output rate whose Nyquist the edge matches, or null. */
  modelRate: number | null;
}

/** Output rates of current music and speech models; their Nyquist frequencies are the ceilings. */
const MODEL_RATES = [16000, 24000, 32000];
const BAND_HZ = 50;

export function findCeiling(power: Float64Array, binHz: number, sampleRate: number): Ceiling {
  const perBand = Math.max(1, Math.round(BAND_HZ / binHz));
  const bands = Math.floor(power.length / perBand);
  const db = new Float64Array(bands);
  for (let b = 0; b < bands; b++) {
    let s = 0;
    for (let k = b * perBand; k < (b + 1) * perBand; k++) s += power[k]!;
    db[b] = 10 * Math.log10(s / perBand + 1e-30);
  }
  const bandHz = perBand * binHz;
  // Reference: the loud part of the spectrum between 200 Hz and 5 kHz (90th percentile).
  const ref = Array.from(db.subarray(Math.round(200 / bandHz), Math.round(Math.min(5000, sampleRate / 2) / bandHz))).sort((a, b) => a - b);
  const level = ref.length ? ref[Math.floor(ref.length * 0.9)]! : -300;
  let top = 0;
  for (let b = bands - 1; b >= 0; b--) {
    if (db[b]! >= level - 60) {
      top = b;
      break;
    }
  }
  const hz = (top + 1) * bandHz;
  const mean = (fromHz: number, toHz: number) => {
    const a = Math.max(0, Math.round(fromHz / bandHz));
    const z = Math.min(bands - 1, Math.round(toHz / bandHz));
    let s = 0;
    for (let b = a; b <= z; b++) s += db[b]!;
    return z >= a ? s / (z - a + 1) : NaN;
  };
  const dropDb = hz < sampleRate / 2 - 700 ? mean(hz - 600, hz - 200) - mean(hz + 200, hz + 600) : 0;
  let modelRate: number | null = null;
  for (const r of MODEL_RATES) {
    if (r / 2 < sampleRate / 2 - 700 && Math.abs(hz - r / 2) <= Math.max(150, 0.015 * (r / 2)) && dropDb >= 30) modelRate = r;
  }
  return { hz, dropDb, modelRate };
}
