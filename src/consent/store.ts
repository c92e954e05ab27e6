// What consent needs from storage. Every method is scoped to one organisation.

import type { ConsentRule, ConsentSignal, Level, TrackScopes } from './types.ts';

export type NewRule = Omit<ConsentRule, 'version'>;

export interface Heads {
  auditSeq: number;
  ruleVersion: number;
  signalId: number;
}

export interface ConsentStore {
  insertRule(rule: NewRule): Promise<ConsentRule>;
  /** Every version of every rule set on these scopes. */
  rulesForScopes(orgId: string, scopeIds: string[]): Promise<ConsentRule[]>;
  /** Tracks with these ISRCs (absent ones are left out), with their release, artist and rights holders. */
  scopesByIsrc(orgId: string, isrcs: string[]): Promise<TrackScopes[]>;
  /** Tracks a rule at this level and scope applies to. */
  tracksUnder(orgId: string, level: Level, scopeId: string): Promise<TrackScopes[]>;
  /** Whether the artist, release, track or rights holder exists in the organisation. */
  scopeExists(orgId: string, level: Level, scopeId: string): Promise<boolean>;
  insertSignals(orgId: string, signals: ConsentSignal[]): Promise<void>;
  signalsFor(orgId: string, trackIds: string[]): Promise<ConsentSignal[]>;
  /** Tracks with an ISRC, by ISRC, for the public exports. */
  listScopes(orgId: string, afterIsrc: string, limit: number): Promise<TrackScopes[]>;
  /** Where the organisation's changes stand: its audit head, newest rule version and newest signal. */
  heads(orgId: string): Promise<Heads>;
  /** The subjects of the organisation's audit entries after one sequence number, up to another, at most `limit`. */
  subjectsBetween(orgId: string, afterSeq: number, upToSeq: number, limit: number): Promise<string[]>;
  /** Tracks by id, with their scopes (deleted ones are left out). */
  scopesOfTracks(orgId: string, trackIds: string[]): Promise<TrackScopes[]>;
  rulesAfter(orgId: string, version: number): Promise<ConsentRule[]>;
  signalsAfter(orgId: string, id: number): Promise<ConsentSignal[]>;
}

/** Every track with an ISRC of an organisation, in ISRC order, a page at a time. */
export async function* scopePages(store: ConsentStore, orgId: string, pageSize = 1000): AsyncGenerator<TrackScopes[]> {
  for (let after = ''; ; ) {
    const page = await store.listScopes(orgId, after, pageSize);
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1]!.isrc;
  }
}
