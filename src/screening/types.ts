// Upload screening: what a signal is, how severe, and what the policy may decide.

import type { ContainsAi } from '../catalog/index.ts';

/** Ordered from the least to the most severe. */
export const SEVERITIES = ['info', 'low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SIGNAL_NAMES = [
  // Copies of the catalog; `similar_audio` is a match too weak to act on, shown for information.
  'duplicate',
  'similar_audio',
  // Profile mismatch.
  'other_artist_audio',
  'unverified_to_verified',
  'name_imitation',
  // AI generation against disclosure.
  'ai_undisclosed',
  'ai_disclosed',
  // Consent.
  'imitation_without_consent',
  // Spam.
  'mass_upload',
  'same_audio_other_titles',
  'keyword_stuffed_title',
  'artist_stuffed_title',
  'artificially_short',
  'silence',
  'noise',
  'short_loop',
] as const;
export type SignalName = (typeof SIGNAL_NAMES)[number];

/** Signals that only inform: no policy may reject or hold on them. */
export const INFORMATIONAL_SIGNALS: readonly SignalName[] = ['similar_audio'];

export interface Signal {
  name: SignalName;
  severity: Severity;
  /** What was measured, with a sentence a reviewer can read in `text`. */
  evidence: { text: string } & Record<string, unknown>;
}

/** Ordered from the mildest to the strongest; the strongest matched rule decides. */
export const DECISIONS = ['accept', 'label', 'suppress_recommendations', 'hold_for_review', 'reject'] as const;
export type ScreeningDecision = (typeof DECISIONS)[number];

export const severityRank = (s: Severity) => SEVERITIES.indexOf(s);
export const decisionRank = (d: ScreeningDecision) => DECISIONS.indexOf(d);

/** What the sender declares with an upload. */
export interface UploadMetadata {
  /** ERN 4.3.2 ContainsAI as declared: All, Partly, None, or not said. */
  containsAi: ContainsAi | null;
  /** The upload declares it imitates this artist's voice or style (a consent use that speaks for a person). */
  imitates: { artist: string; use: 'voice_clone' | 'style_imitation' } | null;
  isrc: string | null;
}

export const UPLOAD_STATUSES = ['queued', 'decided', 'failed'] as const;
export type UploadStatus = (typeof UPLOAD_STATUSES)[number];

export interface Upload {
  id: string;
  orgId: string;
  uploader: string;
  clientKey: string | null;
  title: string;
  artist: string | null;
  metadata: UploadMetadata;
  contentHash: string;
  bytes: number;
  status: UploadStatus;
  decision: ScreeningDecision | null;
  error: string | null;
  webhookUrl: string | null;
  webhookState: 'pending' | 'delivered' | 'failed' | null;
  webhookAttempts: number;
  receivedAt: string;
  decidedAt: string | null;
}

/** One decision on an upload: by screening, or by a person reviewing it. Never rewritten. */
export interface DecisionRecord {
  round: number;
  source: 'screening' | 'review';
  decision: ScreeningDecision;
  policyVersion: string;
  signals: Signal[];
  applied: unknown[];
  facts: Record<string, unknown>;
  actor: string;
  reason: string | null;
  decidedAt: string;
}

export const REVIEW_STATES = ['open', 'claimed', 'decided'] as const;

export interface ReviewItem {
  uploadId: string;
  state: (typeof REVIEW_STATES)[number];
  reason: string;
  claimedBy: string | null;
  claimedAt: string | null;
  openedAt: string;
  closedAt: string | null;
}
