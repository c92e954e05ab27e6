// Decoding and fingerprinting as a job kind, so it runs on the worker-thread pool (both cores)
// for batch ingest and matching, and on queue workers for screening.

import { createHash } from 'node:crypto';
import { decodeAudio, DEFAULT_LIMITS, readAudioFile, type DecodeLimits } from '../audio/index.ts';
import { defineJob } from '../jobs/index.ts';
import { DEFAULT_CONFIG } from './config.ts';
import { fingerprintPcm } from './extract.ts';
import type { Hashes } from './hashes.ts';

export interface ExtractInput {
  path?: string;
  bytes?: Uint8Array;
  limits?: DecodeLimits;
}

export interface ExtractOutput {
  durationSeconds: number;
  sampleRate: number;
  contentHash: string;
  version: number;
  hashes: Hashes;
}

export async function extract(input: ExtractInput): Promise<ExtractOutput> {
  const limits = input.limits ?? DEFAULT_LIMITS;
  const bytes = input.bytes ?? (await readAudioFile(input.path!, limits));
  const audio = await decodeAudio(bytes, limits);
  const fp = fingerprintPcm(audio.channels, audio.sampleRate, DEFAULT_CONFIG);
  return {
    durationSeconds: audio.durationSeconds,
    sampleRate: audio.sampleRate,
    contentHash: createHash('sha256').update(bytes).digest('hex'),
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
