// Licensing: who may receive which recordings for which use, the signed manifests that list
// what they received, and what they trained with it.

import type { Purpose, Use } from '../consent/index.ts';

export interface Licensee {
  id: string;
  orgId: string;
  slug: string;
  name: string;
  createdAt: string;
}

/** A fee in integer minor units of an ISO 4217 currency, per track delivered or flat. */
export interface Fee {
  currency: string;
  amountMinor: number;
  per: 'track' | 'dataset';
}

export interface License {
  id: string;
  orgId: string;
  licenseeId: string;
  uses: Use[];
  territories: string[];
  purpose: Purpose | null;
  validFrom: string;
  validUntil: string | null;
  fee: Fee | null;
  createdAt: string;
}

export interface DatasetFilters {
  genre?: string;
  minDurationMs?: number;
  maxDurationMs?: number;
  releasedAfter?: string;
  releasedBefore?: string;
  /** Leave out recordings whose DDEX disclosure says they contain AI. */
  excludeAi?: boolean;
}

/** One recording in a manifest; the leaf of the Merkle tree is its canonical JSON. */
export interface ManifestEntry {
  isrc: string;
  contentHash: string;
  durationMs: number | null;
  /** The consent rule version that allowed this use for this licensee when the manifest was issued. */
  consentVersion: number;
}

export const MANIFEST_FORMAT = 'ledgerline.manifest/1';

/** What the signature covers. The entries are bound to it through `root` and `count`. */
export interface ManifestHeader {
  format: typeof MANIFEST_FORMAT;
  id: string;
  organisation: string;
  license: string;
  licensee: string;
  use: Use;
  territory: string;
  purpose: Purpose | null;
  issuedAt: string;
  filters: DatasetFilters;
  count: number;
  /** RFC 6962 Merkle tree head over the entries in ISRC order, hex. */
  root: string;
  hash: 'sha256-rfc6962';
  signatureAlgorithm: 'ed25519';
  keyId: string;
}

export interface Manifest {
  header: ManifestHeader;
  /** Base64 Ed25519 signature of the header's canonical JSON. */
  signature: string;
  entries: ManifestEntry[];
}

export interface LeafProof {
  index: number;
  entry: ManifestEntry;
  /** Audit path, hex, leaf to root. */
  path: string[];
}

/**
 * Inclusion: the entry and its path. Non-inclusion: the entries on either side of where the ISRC
 * would sort (one at an end), at adjacent positions, each with its path.
 */
export interface Proof {
  kind: 'inclusion' | 'non-inclusion';
  isrc: string;
  header: ManifestHeader;
  signature: string;
  leaves: LeafProof[];
}

export interface TrainingRun {
  id: string;
  orgId: string;
  manifestId: string;
  modelName: string;
  modelVersion: string;
  startedAt: string;
  endedAt: string | null;
  registeredAt: string;
}

export interface RevocationNotice {
  id: number;
  licensee: string;
  manifestId: string;
  isrc: string;
  use: Use;
  effectiveAt: string;
  reason: string;
  createdAt: string;
  /** Training runs registered against the manifest when the notice is read. */
  runs: { id: string; modelName: string; modelVersion: string }[];
}
