// Decoded audio: planar float channels at the file's own sample rate.

export type AudioFormat = 'wav' | 'flac' | 'mp3' | 'vorbis' | 'opus' | 'ffmpeg';

export interface DecodedAudio {
  format: AudioFormat;
  sampleRate: number;
  /** One Float32Array per channel, samples in [-1, 1]. */
  channels: Float32Array[];
  durationSeconds: number;
}
