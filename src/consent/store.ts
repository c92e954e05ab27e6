// What consent needs from storage. Every method is scoped to one organisation.

import type { ConsentRule, ConsentSignal, Level, TrackScopes } from './types.ts';

export type NewRule = Omit<ConsentRule, 'version'>;

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
  /** A number that grows with every audited change in the organisation (the audit head). */
  generation(orgId: string): Promise<number>;
}
