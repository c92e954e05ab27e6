// Decode limits: untrusted files must not make the decoder allocate without bound.

import { LedgerlineError } from '../shared/index.ts';
import { AudioErrors } from './errors.ts';

export interface DecodeLimits {
  /** Longest accepted audio, seconds. */
  maxDurationSeconds: number;
  maxChannels: number;
  minSampleRate: number;
  maxSampleRate: number;
  /**
   * The memory budget of one decode: samples over all channels (4 bytes each as Float32).
   * Each limit above can hold while their product does not: 8 channels at 192 kHz for 30
   * minutes would be 2.8 G samples (11 GB) from a FLAC of silence a few hundred KB long.
   */
  maxSamples: number;
}

/** Largest audio file accepted: a 30-minute WAV at 48 kHz stereo 24-bit is about 520 MB; most uploads are compressed. */
export const MAX_AUDIO_BYTES = 600 * 1024 * 1024;

export const DEFAULT_LIMITS: DecodeLimits = {
  maxDurationSeconds: 30 * 60,
  maxChannels: 8,
  minSampleRate: 8000,
  maxSampleRate: 192_000,
  // 1 GiB of Float32: 30 minutes of 48-kHz stereo decode whole (173 M), 96-kHz stereo to 22 minutes.
  maxSamples: 256 * 1024 * 1024,
};

/** Refuses a decode whose samples (frames x channels) exceed the budget: checked from a header before decoding, and as decoding goes. */
export function checkBudget(frames: number, channels: number, rate: number, limits: DecodeLimits): void {
  if (frames * channels <= limits.maxSamples) return;
  const m = (x: number) => `${Math.round(x / 1e6)} M`;
  throw new LedgerlineError(
    AudioErrors.TOO_LARGE,
    `${channels} channels at ${rate} Hz for ${(frames / rate).toFixed(0)} s decode to ${m(frames * channels)} samples; the budget is ${m(limits.maxSamples)} (${Math.round((limits.maxSamples * 4) / 2 ** 20)} MiB)`,
    { channels, sampleRate: rate, samples: frames * channels, budget: limits.maxSamples },
  );
}
