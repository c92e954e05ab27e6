// PCM to fingerprint: mono, halve into the analysis band, spectrogram, peaks, triplet hashes.

import { decimateBelow, toMono } from '../audio/index.ts';
import { DEFAULT_CONFIG, type FingerprintConfig } from './config.ts';
import { makeHashes, type Hashes } from './hashes.ts';
import { findPeaks, type Peaks } from './peaks.ts';
import { spectrogram } from './spectrogram.ts';

export interface Fingerprint {
  version: number;
  durationSeconds: number;
  peaks: Peaks;
  hashes: Hashes;
}

export function fingerprintPcm(channels: Float32Array[], sampleRate: number, cfg: FingerprintConfig = DEFAULT_CONFIG): Fingerprint {
  const mono = toMono(channels);
  const { samples, rate } = decimateBelow(mono, sampleRate, cfg.analysisRateBelow);
  const spec = spectrogram(samples, rate, cfg);
  const peaks = findPeaks(spec, cfg);
  const hashes = makeHashes(peaks, cfg);
  return { version: cfg.version, durationSeconds: mono.length / sampleRate, peaks, hashes };
}
