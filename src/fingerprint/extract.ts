// PCM to fingerprint: mix and halve into the analysis band, spectrogram, peaks, triplet hashes.

import { mixAndDecimate } from '../audio/index.ts';
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
  const { samples, rate } = mixAndDecimate(channels, sampleRate, cfg.analysisRateBelow);
  const spec = spectrogram(samples, rate, cfg);
  const peaks = findPeaks(spec, cfg);
  const hashes = makeHashes(peaks, cfg);
  return { version: cfg.version, durationSeconds: channels[0]!.length / sampleRate, peaks, hashes };
}
