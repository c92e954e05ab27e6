// What licensing needs from storage; every method is scoped to one organisation.

import type { Use } from '../consent/index.ts';
import type { DatasetFilters, License, Licensee, Manifest, ManifestHeader, RevocationNotice, TrainingRun } from './types.ts';

/** A track the filters select; only one with an ISRC and its audio (content hash) can be delivered. */
export interface Candidate {
  trackId: string;
  isrc: string | null;
  contentHash: string | null;
  durationMs: number | null;
}

export interface IssuedEntry {
  manifestId: string;
  licenseeId: string;
  header: ManifestHeader;
  trackId: string;
  isrc: string;
}

export interface NewNotice {
  orgId: string;
  licenseeId: string;
  manifestId: string;
  trackId: string;
  isrc: string;
  use: Use;
  consentVersion: number;
  effectiveAt: string;
  reason: string;
  createdAt: string;
}

export interface LicensingStore {
  insertLicensee(orgId: string, input: { slug: string; name: string }): Promise<Licensee>;
  getLicensee(orgId: string, id: string): Promise<Licensee | null>;
  findLicenseeBySlug(orgId: string, slug: string): Promise<Licensee | null>;
  listLicensees(orgId: string): Promise<Licensee[]>;

  insertLicense(orgId: string, input: Omit<License, 'id' | 'orgId' | 'createdAt'>): Promise<License>;
  getLicense(orgId: string, id: string): Promise<License | null>;
  listLicenses(orgId: string, licenseeId?: string): Promise<License[]>;

  /** Tracks with an ISRC and audio (a content hash) that pass the filters. */
  datasetCandidates(orgId: string, filters: DatasetFilters): Promise<Candidate[]>;

  /** Publishes a signing key's public half (once; again is a no-op). The private half never comes here. */
  registerPublicKey(key: { id: string; publicKeyPem: string }): Promise<void>;
  /** Private keys an older version kept in the table, to be moved to key files and forgotten. */
  legacyPrivateKeys(): Promise<{ id: string; privateKeyPem: string; createdAt: string }[]>;
  forgetPrivateKeys(ids: string[]): Promise<void>;
  publicKeys(): Promise<{ id: string; publicKeyPem: string; createdAt: string }[]>;

  insertManifest(orgId: string, licenseeId: string, m: Manifest, trackIds: string[]): Promise<void>;
  getManifest(orgId: string, id: string): Promise<{ manifest: Manifest; licenseeId: string } | null>;
  listManifests(orgId: string, licenseeId?: string): Promise<{ header: ManifestHeader; licenseeId: string }[]>;
  /** Manifest entries of these tracks in manifests issued for one of these uses. */
  issuedEntries(orgId: string, trackIds: string[], uses: Use[]): Promise<IssuedEntry[]>;

  insertRun(run: Omit<TrainingRun, 'id'>): Promise<TrainingRun>;
  runsOf(orgId: string, manifestIds: string[]): Promise<TrainingRun[]>;
  getRun(orgId: string, id: string): Promise<TrainingRun | null>;
  /** The tracks a manifest lists, and those of them a revocation notice withdrew. */
  manifestTracks(manifestId: string): Promise<{ trackIds: string[]; revokedTrackIds: string[] }>;

  /** Inserts notices, skipping (manifest, track) pairs already noticed; returns how many were new. */
  insertNotices(notices: NewNotice[]): Promise<number>;
  listNotices(orgId: string, licenseeId: string | null, afterId: number, limit: number): Promise<Omit<RevocationNotice, 'runs'>[]>;
}
