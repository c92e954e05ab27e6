// What royalties need from the database: revenue reports, the journal, balances, periods, and
// the inputs each source is allocated by (splits, streams, manifests, attributions).

import type { JournalEntry, Posting } from './ledger.ts';
import type { PeriodStreams } from './period-streams.ts';
import type { ManifestTrack, OutputAttribution, TrackSplits } from './sources.ts';

export type RevenueSource = 'streams' | 'licence' | 'output';

export interface Revenue {
  id: string;
  orgId: string;
  key: string;
  source: RevenueSource;
  period: string;
  currency: string;
  amountMinor: number;
  /** Who pays: a licensee id, or a service's name. */
  payer: string;
  details: {
    service?: string;
    territory?: string;
    method?: 'pro_rata' | 'user_centric';
    licenceId?: string;
    outputId?: string;
    /** Publishing's share of stream or licence money, ppm (master gets the rest). */
    publishingPpm?: number;
    /** A licence's split between master and composition for output revenue, ppm to master. */
    masterPpm?: number;
    /** Commission taken before allocation: ppm and/or fixed minor units. */
    commissionPpm?: number;
    commissionFixed?: number;
    by?: 'equal' | 'duration';
  };
  createdAt: string;
}

export interface OutputForRevenue {
  licenseeId: string | null;
  manifestTracks: string[];
  result: OutputAttribution;
}

export interface StoredPosting extends Posting {
  entryId: string;
  entryKey: string;
  period: string;
  sourceKind: string;
  sourceRef: string;
}

export interface RoyaltyStore {
  /** Stores revenue reports; a report whose key is stored already is not, and the stored one comes back in its place (same order). */
  insertRevenues(rows: Revenue[]): Promise<Revenue[]>;
  revenueOf(orgId: string, period: string): Promise<Revenue[]>;
  getRevenue(orgId: string, id: string): Promise<Revenue | null>;
  /** Revenue a payer reported, newest first. */
  revenueOfPayer(orgId: string, payer: string, limit: number): Promise<Revenue[]>;
  /** An entry's postings, by its key. */
  entryPostings(orgId: string, key: string): Promise<Posting[]>;
  /** Posts entries (already checked); an entry whose key exists is skipped. Returns the keys posted. Call inside a transaction. */
  post(entries: JournalEntry[]): Promise<string[]>;
  entryKeys(orgId: string, keys: string[]): Promise<Set<string>>;
  isClosed(orgId: string, period: string): Promise<boolean>;
  close(orgId: string, period: string, by: string, at: string): Promise<void>;
  /** Balances kept beside the postings. */
  balances(orgId: string, accountPrefix: string): Promise<Array<{ account: string; currency: string; balance: number }>>;
  /** Postings to every rights holder's payable account up to a period, by account, then in ledger order. */
  holderPostings(orgId: string, upToPeriod: string): Promise<StoredPosting[]>;
  /** Postings to an account, with their entries' period and source. */
  postingsOf(orgId: string, account: string): Promise<StoredPosting[]>;
  /** Every entry whose postings do not sum to zero per currency, postings without their entry, and every kept balance that differs from its postings. */
  verify(orgId: string): Promise<{ entries: number; postings: number; unbalanced: string[]; orphanPostings: number; mismatched: Array<{ account: string; currency: string; kept: number; posted: number }> }>;
  splitsOf(trackIds: string[]): Promise<Map<string, TrackSplits>>;
  /**
   * Each track's splits as they stood at an instant, keyed `trackId@at`: the version in force
   * then, or, where the track had none yet, the first it was given.
   */
  splitsAsOf(tracks: Array<{ trackId: string; at: string }>): Promise<Map<string, TrackSplits>>;
  /**
   * Counted streams in the period per service, country and track (and listener, when asked),
   * valid and flagged (by an uncleared finding), from raw events; plus, with listener '', the
   * daily counts of days retention has folded: their listeners are gone, so user-centric
   * allocation cannot see them.
   */
  periodStreams(orgId: string, from: string, to: string, perListener: boolean): Promise<PeriodStreams>;
  licenceTracks(orgId: string, licenceId: string): Promise<{ licenseeId: string; tracks: ManifestTrack[] } | null>;
  /** Each output's licensee, its run's manifest tracks and its latest attribution (outputs without one are left out). */
  outputAttributions(orgId: string, outputIds: string[]): Promise<Map<string, OutputForRevenue>>;
  holderNames(orgId: string, ids: string[]): Promise<Map<string, string>>;
  /** What the artist's tracks paid to holders' accounts in the period, by track, holder, right and source. */
  artistPostings(orgId: string, artistId: string, period: string): Promise<Array<{ trackId: string; title: string; holderId: string; right: string; sourceKind: string; currency: string; amount: number }>>;
}
