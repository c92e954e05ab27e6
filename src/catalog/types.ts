// Catalog domain types, camelCase, as the API and CLI show them.

export interface Organisation {
  id: string;
  slug: string;
  name: string;
  createdAt: string;
}

export interface Artist {
  id: string;
  orgId: string;
  name: string;
  verified: boolean;
  createdAt: string;
  updatedAt: string;
}

export const RIGHTS_HOLDER_KINDS = ['label', 'publisher', 'artist', 'songwriter', 'other'] as const;
export type RightsHolderKind = (typeof RIGHTS_HOLDER_KINDS)[number];

export interface RightsHolder {
  id: string;
  orgId: string;
  name: string;
  kind: RightsHolderKind;
  ipi: string | null;
  createdAt: string;
  updatedAt: string;
}

/** ERN 4.3.2 ContainsAI: whether a release or recording contains AI-generated material. */
export const CONTAINS_AI = ['All', 'Partly', 'None'] as const;
export type ContainsAi = (typeof CONTAINS_AI)[number];

/** A contributor as a DDEX message lists them; `aiContribution` names what AI did in their stead (ERN 4.3.2). */
export interface Contributor {
  name: string;
  roles: string[];
  aiContribution?: string[];
}

export interface Release {
  id: string;
  orgId: string;
  title: string;
  artistId: string | null;
  icpn: string | null;
  grid: string | null;
  releaseDate: string | null;
  genre: string | null;
  label: string | null;
  pLine: string | null;
  containsAi: ContainsAi | null;
  createdAt: string;
  updatedAt: string;
}

export interface Track {
  id: string;
  orgId: string;
  title: string;
  artistId: string | null;
  releaseId: string | null;
  isrc: string | null;
  iswc: string | null;
  durationMs: number | null;
  contentHash: string | null;
  genre: string | null;
  pLine: string | null;
  containsAi: ContainsAi | null;
  contributors: Contributor[];
  createdAt: string;
  updatedAt: string;
}

export const SPLIT_KINDS = ['master', 'publishing'] as const;
export type SplitKind = (typeof SPLIT_KINDS)[number];

/** A share is kept in parts per million of the whole: 1_000_000 = 100%, so 4 decimals of a percent are exact. */
export const WHOLE_PPM = 1_000_000;

export interface SplitShare {
  rightsHolderId: string;
  role: string | null;
  sharePpm: number;
}

export interface TrackSplits {
  trackId: string;
  master: SplitShare[];
  publishing: SplitShare[];
}

export type ArtistInput = { name: string; verified?: boolean };
export type RightsHolderInput = { name: string; kind: RightsHolderKind; ipi?: string | null };
export type ReleaseInput = {
  title: string;
  artistId?: string | null;
  icpn?: string | null;
  grid?: string | null;
  releaseDate?: string | null;
  genre?: string | null;
  label?: string | null;
  pLine?: string | null;
  containsAi?: ContainsAi | null;
};
export type TrackInput = {
  title: string;
  artistId?: string | null;
  releaseId?: string | null;
  isrc?: string | null;
  iswc?: string | null;
  durationMs?: number | null;
  contentHash?: string | null;
  genre?: string | null;
  pLine?: string | null;
  containsAi?: ContainsAi | null;
  contributors?: Contributor[];
};
