// Decoding, fingerprinting and chroma as a job kind, so it runs on the worker-thread pool (both cores)
// for batch ingest and matching, and on queue workers for screening.

import { loadAudio, type AudioSource } from '../audio/index.ts';
import { chromaOf, packChroma, type PackedChroma } from '../composition/index.ts';
import { defineJob } from '../jobs/index.ts';
import { DEFAULT_CONFIG } from './config.ts';
import { analysisSignal, fingerprintSignal } from './extract.ts';
import type { Hashes } from './hashes.ts';

/** The audio; `chroma` asks for the composition index's chroma too (adding to the catalog, attributing). */
export type ExtractInput = AudioSource & { chroma?: boolean };

export interface ExtractOutput {
  durationSeconds: number;
  sampleRate: number;
  contentHash: string;
  version: number;
  hashes: Hashes;
  /** The composition index's chroma, from the same decoded and decimated signal, when asked for. */
  chroma: PackedChroma | null;
}

export async function extract(input: ExtractInput): Promise<ExtractOutput> {
  const { audio, contentHash } = await loadAudio(input);
  // One decode and one decimation serve both indexes: the fingerprint's band (below 8 kHz)
  // holds the chroma's pitches (65-2100 Hz) too.
  const signal = analysisSignal(audio.channels, audio.sampleRate, DEFAULT_CONFIG);
  const fp = fingerprintSignal(signal, audio.durationSeconds, DEFAULT_CONFIG);
  return {
    durationSeconds: audio.durationSeconds,
    sampleRate: audio.sampleRate,
    contentHash,
    version: fp.version,
    hashes: fp.hashes,
    // Matching needs none: it would cost it about two thirds again of the fingerprint's time.
    chroma: input.chroma ? packChroma(chromaOf(signal.samples, signal.rate)) : null,
  };
}

export const extractJob = defineJob<ExtractInput, ExtractOutput>({
  name: 'fingerprint.extract',
  module: import.meta.url,
  maxAttempts: 2,
  timeoutMs: 10 * 60_000,
  run: extract,
});
