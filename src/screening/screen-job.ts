// Screening as a job kind. The work (decode, fingerprint, detector, audio facts) runs on a
// worker thread; the effect (catalog match, signals, policy, decision, review queue) runs in one
// transaction in the process that took the job, at most once per upload and round.

import { loadAudio } from '../audio/index.ts';
import { detectAudio } from '../detect/index.ts';
import { analysisSignal, DEFAULT_CONFIG, fingerprintSignal } from '../fingerprint/index.ts';
import { defineJob } from '../jobs/index.ts';
import { isLedgerlineError } from '../shared/index.ts';
import { audioFacts } from './audio-facts.ts';
import { decideUpload } from './decide.ts';
import type { ScreeningRepos, ScreeningServices, ScreenPayload, ScreenWork } from './job-types.ts';

export async function screenWork(p: ScreenPayload): Promise<ScreenWork> {
  try {
    const { audio, contentHash } = await loadAudio({ path: p.path });
    // One mix-down serves the fingerprint and the audio facts; the detector reads the native rate.
    const signal = analysisSignal(audio.channels, audio.sampleRate, DEFAULT_CONFIG);
    const fp = fingerprintSignal(signal, audio.durationSeconds, DEFAULT_CONFIG);
    const facts = audioFacts(signal.samples, signal.rate);
    const d = await detectAudio(audio);
    return { ok: true, durationSeconds: audio.durationSeconds, contentHash, hashes: fp.hashes, facts, detection: { verdict: d.verdict, score: d.score, reason: d.reason, evidence: d.evidence } };
  } catch (err) {
    // Audio that cannot be read is an answer about the upload, not a reason to retry.
    if (isLedgerlineError(err) && err.kind !== 'internal' && err.kind !== 'unavailable') return { ok: false, error: { code: err.code, message: err.message } };
    throw err;
  }
}

export const screenJob = defineJob<ScreenPayload, ScreenWork, ScreeningRepos, ScreeningServices>({
  name: 'screening.screen',
  module: import.meta.url,
  maxAttempts: 3,
  timeoutMs: 10 * 60_000,
  run: screenWork,
  apply: (repos, payload, work, ctx) => decideUpload(repos, ctx.services, payload, work),
  // The fingerprint is for matching only; the jobs table keeps the summary.
  keep: (w) => (w.ok ? { ok: true, durationSeconds: w.durationSeconds, contentHash: w.contentHash, verdict: w.detection.verdict } : w),
});
