// Consent: which uses of a recording its rights holders (and, for voice and style, its artist)
// have agreed to, at which level, since when, and on which terms.

export const USES = ['ai_training', 'generative_training', 'inference', 'data_mining', 'voice_clone', 'style_imitation'] as const;
export type Use = (typeof USES)[number];

/** Uses an artist decides for their own voice and style, whoever holds the recording rights. */
export const PERSONAL_USES: readonly Use[] = ['voice_clone', 'style_imitation'];

export const STATES = ['allowed', 'notAllowed', 'constrained'] as const;
export type ConsentState = (typeof STATES)[number];

/** From the most specific to the least: the first level with a rule in force decides. */
export const LEVELS = ['track', 'release', 'artist', 'rights_holder'] as const;
export type Level = (typeof LEVELS)[number];

export const PURPOSES = ['research', 'commercial'] as const;
export type Purpose = (typeof PURPOSES)[number];

/**
 * One set of conditions under which a `constrained` use is allowed. Every stated condition
 * must hold; an absent one does not restrict. Periods are half-open [validFrom, validUntil).
 */
export interface ConsentTerm {
  licensees?: string[];
  territories?: string[];
  validFrom?: string;
  validUntil?: string;
  purpose?: Purpose;
  compensationRequired?: boolean;
}

export interface ConsentRule {
  version: number;
  orgId: string;
  level: Level;
  scopeId: string;
  use: Use;
  /** null: the scope's earlier rule is withdrawn and the next level decides. */
  state: ConsentState | null;
  terms: ConsentTerm[];
  effectiveAt: string;
  recordedAt: string;
  author: string;
  authorRole: string;
  authorSubject: string | null;
  /**
   * Who issued the key that set this version: a rights holder's or artist's key is usually
   * minted by the organisation's operator, and whoever reads the history must see that the
   * version came through such a key, not from the party itself in person.
   */
  authorKeyIssuedBy?: string | null;
  note: string | null;
}

/** What evaluation needs to know about a track: the scopes a rule can be set on. */
export interface TrackScopes {
  trackId: string;
  isrc: string;
  releaseId: string | null;
  artistId: string | null;
  rightsHolderIds: string[];
}

export interface ConsentSignal {
  /** Assigned by the store; 0 before the signal is stored. */
  id: number;
  trackId: string;
  use: Use;
  reserved: boolean;
  format: 'tdmrep' | 'ai.txt';
  source: string;
  rule: string;
  policy: string | null;
  observedAt: string;
}

export interface CheckQuery {
  use: Use;
  licensee?: string;
  territory?: string;
  purpose?: Purpose;
  /** The instant to evaluate at, ISO 8601; the default is now. */
  at: string;
}

export type DecidedBy =
  | { kind: 'rule'; level: Level; scopeId: string; version: number; effectiveAt: string; author: string; state: ConsentState; term?: number }
  | { kind: 'signal'; format: string; source: string; rule: string; observedAt: string }
  | { kind: 'default' };

export interface Decision {
  allowed: boolean;
  decidedBy: DecidedBy;
  /** Every rule version that took part, so the answer can be checked by hand. */
  rules: number[];
  reason: string;
  /** The licensee must pay for this use (a constrained term says so). */
  compensationRequired: boolean;
}
