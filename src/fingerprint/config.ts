// Fingerprint settings. Changing anything here changes the hashes: indexes built with one
// version do not match queries of another, so every stored fingerprint carries `version`.

export interface FingerprintConfig {
  version: number;
  /** Audio is halved until its rate is below this (Hz): 44.1 kHz → 5512.5, 48 kHz → 6000. */
  analysisRateBelow: number;
  fftSize: number;
  /** Frame hop, seconds; the same in every analysis rate so time stamps agree across files. */
  hopSeconds: number;
  minHz: number;
  maxHz: number;
  /** Peak neighbourhood: a peak is the maximum over ±radius in frequency (cents) and time (frames). */
  peakRadiusCents: number;
  peakRadiusFrames: number;
  /** Peaks kept per second at most (the strongest). */
  peaksPerSecond: number;
  /** Triplet span t3 - t1, frames. */
  minSpanFrames: number;
  maxSpanFrames: number;
  /** Largest |c2 - c1|, |c3 - c1|, cents. */
  maxDeltaCents: number;
  /** Candidates for the second and the third peak per anchor. */
  fanOut2: number;
  fanOut3: number;
  /** Quantisation of the hash components. */
  deltaQuantumCents: number;
  ratioBins: number;
  bandCents: number;
  spanBinOctaves: number;
}

/** Reference frequency for cents: c = 1200 log2(f / REF_HZ). */
export const REF_HZ = 55;

export const DEFAULT_CONFIG: FingerprintConfig = {
  version: 1,
  analysisRateBelow: 8_000,
  fftSize: 512,
  hopSeconds: 0.032,
  minHz: 120,
  maxHz: 2700,
  peakRadiusCents: 250,
  peakRadiusFrames: 6,
  peaksPerSecond: 14,
  minSpanFrames: 8,
  maxSpanFrames: 64,
  maxDeltaCents: 1800,
  fanOut2: 2,
  fanOut3: 2,
  deltaQuantumCents: 50,
  ratioBins: 8,
  bandCents: 600,
  spanBinOctaves: 0.25,
};
