// PCM to fingerprint: mix and halve into the analysis band, spectrogram, peaks, triplet hashes.
// The analysis signal is a step of its own so screening can reuse it for its audio facts.

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

/** A mono signal in the fingerprint's analysis band (about 5.5 kHz for 44.1 kHz audio). */
export interface AnalysisSignal {
  samples: Float32Array;
  rate: number;
}

/** Mixes and halves into the analysis band; other analyses of the same audio may share the result. */
export function analysisSignal(channels: Float32Array[], sampleRate: number, cfg: FingerprintConfig = DEFAULT_CONFIG): AnalysisSignal {
  return mixAndDecimate(channels, sampleRate, cfg.analysisRateBelow);
}

export function fingerprintSignal(signal: AnalysisSignal, durationSeconds: number, cfg: FingerprintConfig = DEFAULT_CONFIG): Fingerprint {
  const spec = spectrogram(signal.samples, signal.rate, cfg);
  const peaks = findPeaks(spec, cfg);
  const hashes = makeHashes(peaks, cfg);
  return { version: cfg.version, durationSeconds, peaks, hashes };
}

export function fingerprintPcm(channels: Float32Array[], sampleRate: number, cfg: FingerprintConfig = DEFAULT_CONFIG): Fingerprint {
  return fingerprintSignal(analysisSignal(channels, sampleRate, cfg), channels[0]!.length / sampleRate, cfg);
}
