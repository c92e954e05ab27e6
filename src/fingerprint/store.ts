// What fingerprint registration needs from the database: a dense ref per track, and the
// catalog facts a match reports.

export interface FingerprintRecord {
  ref: number;
  trackId: string;
  orgId: string;
  version: number;
  hashCount: number;
  durationMs: number;
}

export interface MatchedTrack {
  ref: number;
  trackId: string;
  orgId: string;
  title: string;
  artist: string | null;
  isrc: string | null;
}

export interface FingerprintStore {
  /** Reserves `n` new refs. */
  allocateRefs(n: number): Promise<number[]>;
  insertFingerprint(rec: FingerprintRecord): Promise<void>;
  /** Tracks behind refs; refs without a row (removed tracks, unfinished writes) are absent. */
  tracksByRefs(refs: number[], orgId?: string): Promise<MatchedTrack[]>;
  refsOfTracks(trackIds: string[]): Promise<number[]>;
}
