// Decoded audio: planar float channels at the file's own sample rate.

export type AudioFormat = 'wav' | 'flac' | 'mp3' | 'vorbis' | 'opus' | 'ffmpeg';

/** Samples [start, end) of a stream. */
export type SampleRange = readonly [start: number, end: number];

/**
 * The ranges an analysis will read of a stream of `length` samples at `sampleRate`, sorted and
 * disjoint; null when it reads the whole stream.
 */
export type RangePlan = (length: number, sampleRate: number) => SampleRange[] | null;

export interface DecodedAudio {
  format: AudioFormat;
  sampleRate: number;
  /** One Float32Array per channel, samples in [-1, 1], the stream's whole length. */
  channels: Float32Array[];
  durationSeconds: number;
  /**
   * When set, only these ranges were decoded (the caller planned to read no more) and the
   * channels are zero elsewhere; when absent, every sample was decoded.
   */
  decoded?: SampleRange[];
}
