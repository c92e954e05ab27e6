// Decoding and fingerprinting as a job kind, so it runs on the worker-thread pool (both cores)
// for batch ingest and matching, and on queue workers for screening.

import { loadAudio, type AudioSource } from '../audio/index.ts';
import { defineJob } from '../jobs/index.ts';
import { DEFAULT_CONFIG } from './config.ts';
import { fingerprintPcm } from './extract.ts';
import type { Hashes } from './hashes.ts';

export type ExtractInput = AudioSource;

export interface ExtractOutput {
  durationSeconds: number;
  sampleRate: number;
  contentHash: string;
  version: number;
  hashes: Hashes;
}

export async function extract(input: ExtractInput): Promise<ExtractOutput> {
  const { audio, contentHash } = await loadAudio(input);
  const fp = fingerprintPcm(audio.channels, audio.sampleRate, DEFAULT_CONFIG);
  return {
    durationSeconds: audio.durationSeconds,
    sampleRate: audio.sampleRate,
    contentHash,
    version: fp.version,
    hashes: fp.hashes,
  };
}

export const extractJob = defineJob<ExtractInput, ExtractOutput>({
  name: 'fingerprint.extract',
  module: import.meta.url,
  maxAttempts: 2,
  timeoutMs: 10 * 60_000,
  run: extract,
});
