// Decode limits: untrusted files must not make the decoder allocate without bound.

export interface DecodeLimits {
  /** Longest accepted audio, seconds. */
  maxDurationSeconds: number;
  maxChannels: number;
  minSampleRate: number;
  maxSampleRate: number;
}

export const DEFAULT_LIMITS: DecodeLimits = {
  maxDurationSeconds: 30 * 60,
  maxChannels: 8,
  minSampleRate: 8000,
  maxSampleRate: 192_000,
};
