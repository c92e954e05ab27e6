// What screening needs from storage; every method is scoped to one organisation.

import type { ContainsAi } from '../catalog/index.ts';
import type { DecisionRecord, ReviewItem, ScreeningDecision, Upload, UploadStatus } from './types.ts';

export interface Announcement {
  isrc: string;
  messageId: string;
  title: string;
  artist: string | null;
  containsAi: ContainsAi | null;
}

/** Which uploads a listing returns; `after` continues a listing after that upload (newest first). */
export interface UploadFilter {
  uploader?: string;
  status?: UploadStatus;
  decision?: ScreeningDecision;
  after?: { receivedAt: string; id: string };
}

export type NewUpload = Omit<Upload, 'status' | 'decision' | 'error' | 'webhookState' | 'webhookAttempts' | 'decidedAt'>;

export interface ScreeningStore {
  /** Inserts the upload, or returns the one with the same uploader and client key. */
  insertUpload(u: NewUpload): Promise<{ upload: Upload; created: boolean }>;
  getUpload(orgId: string, id: string): Promise<Upload | null>;
  /** Uploads newest first (received, then id), at most `limit`. */
  listUploads(orgId: string, filter: UploadFilter, limit: number): Promise<Upload[]>;
  /** Locks the upload's row for the rest of the transaction (one decision at a time). */
  lockUpload(orgId: string, id: string): Promise<Upload | null>;
  setOutcome(orgId: string, id: string, outcome: { status: Upload['status']; decision: Upload['decision']; error: string | null; at: string; notify: boolean }): Promise<void>;
  insertDecision(orgId: string, uploadId: string, d: DecisionRecord): Promise<void>;
  decisions(orgId: string, uploadId: string): Promise<DecisionRecord[]>;
  /** Uploads by this uploader received since an instant, and those among them with this audio. */
  /** The uploader's uploads since an instant, and the organisation's uploads of the same file by anyone. */
  recentByUploader(orgId: string, uploader: string, since: string, contentHash: string, excludeId: string): Promise<{ count: number; sameAudio: SameAudio[] }>;
  /** Keeps an upload's packed fingerprint for matching later uploads. */
  saveFingerprint(orgId: string, upload: { id: string; uploader: string; receivedAt: string }, packed: Uint8Array): Promise<void>;
  /** The packed fingerprints of the organisation's uploads (every uploader's) received since an instant, newest first, at most `limit`. */
  recentFingerprints(orgId: string, since: string, excludeId: string, limit: number): Promise<(SameAudio & { packed: Uint8Array })[]>;
  verifiedArtists(orgId: string, uploader: string): Promise<string[]>;
  /** Records (or replaces) what a DDEX message announced for recordings to be delivered. */
  announce(orgId: string, items: Announcement[], at: string): Promise<void>;
  announcement(orgId: string, isrc: string): Promise<Announcement | null>;
  verifyUploader(orgId: string, uploader: string, artistId: string, at: string): Promise<void>;
  /** Uploads still queued (received before an instant), to hand to the queue again after a crash. */
  queuedBefore(orgId: string | null, before: string, limit: number): Promise<Upload[]>;

  openReview(orgId: string, uploadId: string, reason: string, at: string): Promise<void>;
  getReview(orgId: string, uploadId: string): Promise<ReviewItem | null>;
  listReview(orgId: string, states: ReviewItem['state'][], limit: number): Promise<(ReviewItem & { upload: Upload })[]>;
  claimReview(orgId: string, uploadId: string, by: string, at: string): Promise<boolean>;
  closeReview(orgId: string, uploadId: string, at: string): Promise<void>;

  /** Uploads whose decision should be sent to their webhook. */
  pendingWebhooks(limit: number): Promise<Upload[]>;
  recordWebhook(id: string, state: 'pending' | 'delivered' | 'failed'): Promise<void>;
}

/** An earlier upload of the same audio: whose, and under what title. */
export interface SameAudio {
  uploadId: string;
  uploader: string;
  title: string;
}
