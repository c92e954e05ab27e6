// What streams and listener privacy need from the database. Listener and client columns hold
// pseudonyms only (privacy/pseudonyms.ts).

export interface StoredEvent {
  orgId: string;
  eventId: string;
  listener: string;
  client: string | null;
  epoch: number;
  isrc: string;
  trackId: string | null;
  startedAt: string;
  msPlayed: number;
  country: string | null;
  service: string;
  context: string | null;
}

/** Counted plays of a period as columns, for the detectors. */
/** A period's counted plays, column by column; listeners and ISRCs are numbered (indexes into their name lists). */
export interface PeriodPlays {
  eventIds: string[];
  listener: Int32Array;
  listeners: string[];
  isrc: Int32Array;
  isrcs: string[];
  /** Per ISRC (same index): its track's artist, or null. */
  artists: Array<string | null>;
  at: Float64Array;
  msPlayed: Int32Array;
}

export type FindingStatus = 'open' | 'cleared' | 'confirmed';

export interface StoredFinding {
  id: string;
  orgId: string;
  key: string;
  kind: string;
  periodFrom: string;
  periodTo: string;
  accounts: string[];
  tracks: string[];
  streams: number;
  evidence: Record<string, unknown>;
  status: FindingStatus;
  reviewedBy: string | null;
  reviewedAt: string | null;
  note: string | null;
  createdAt: string;
}

export interface DailyAggregate {
  day: string;
  isrc: string;
  country: string;
  service: string;
  streams: number;
  flagged: number;
}

export interface StreamStore {
  /** Adds events; ones whose event id the organisation already has are left alone. Returns how many were new. */
  insertEvents(rows: StoredEvent[]): Promise<number>;
  /** The organisation's tracks (and their artists) of these ISRCs. */
  tracksByIsrc(orgId: string, isrcs: string[]): Promise<Map<string, { trackId: string; artistId: string | null }>>;
  periodPlays(orgId: string, from: string, to: string, minMs: number): Promise<PeriodPlays>;
  /** Stores the finding and its flagged events unless one with its key exists; returns the stored one. */
  insertFinding(f: StoredFinding, eventIds: string[]): Promise<StoredFinding>;
  getFinding(orgId: string, id: string): Promise<StoredFinding | null>;
  listFindings(orgId: string, opts: { status?: FindingStatus; limit: number }): Promise<StoredFinding[]>;
  reviewFinding(orgId: string, id: string, status: 'cleared' | 'confirmed', by: string, at: string, note: string | null): Promise<boolean>;
  /** Events of the period flagged by a finding that has not been cleared. */
  flaggedEvents(orgId: string, from: string, to: string): Promise<string[]>;
  /** Folds events started before `cutoff` into daily aggregates and deletes them; returns how many. */
  foldBefore(orgId: string, cutoff: string): Promise<number>;
  daily(orgId: string, from: string, to: string): Promise<DailyAggregate[]>;
  /** Everything held under these pseudonyms. */
  eventsOf(orgId: string, listeners: string[]): Promise<StoredEvent[]>;
  consentsOf(orgId: string, listeners: string[]): Promise<Array<{ listener: string; purpose: string; state: string; updatedAt: string }>>;
  findingsNaming(orgId: string, listeners: string[]): Promise<StoredFinding[]>;
  /** Deletes the events and consents, and takes the pseudonyms out of findings. Returns how many of each. */
  erase(orgId: string, listeners: string[]): Promise<{ events: number; consents: number; findings: number }>;
  setConsent(orgId: string, listener: string, purpose: string, state: string, at: string): Promise<void>;
  /** Distinct listeners per track and country over a period, each listener counted once per track (in the country of their first play). */
  audience(orgId: string, isrcs: string[], from: string, to: string): Promise<Array<{ isrc: string; country: string; listeners: number }>>;
  /** Adds `milli` thousandths of ε to the recipient's month unless that passes `limitMilli`; returns the new total, or null when refused. */
  spendBudget(orgId: string, recipient: string, month: string, milli: number, limitMilli: number): Promise<number | null>;
}
