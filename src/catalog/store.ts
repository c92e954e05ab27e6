// What the catalog needs from storage. Every method is scoped to one organisation: a row of
// another organisation is indistinguishable from a missing row.

import type {
  Artist,
  ArtistInput,
  Organisation,
  Release,
  ReleaseInput,
  RightsHolder,
  RightsHolderInput,
  RightsHolderKind,
  SplitKind,
  SplitShare,
  Track,
  TrackInput,
} from './types.ts';
import type { ErnDeal } from './ddex/types.ts';

export interface Page {
  limit: number;
  offset: number;
}

export interface CatalogStore {
  insertOrganisation(input: { slug: string; name: string }): Promise<Organisation>;
  getOrganisation(id: string): Promise<Organisation | null>;
  findOrganisation(idOrSlug: string): Promise<Organisation | null>;
  listOrganisations(): Promise<Organisation[]>;
  renameOrganisation(id: string, name: string): Promise<Organisation | null>;

  findArtistByName(orgId: string, name: string): Promise<Artist | null>;
  insertArtist(orgId: string, input: ArtistInput): Promise<Artist>;
  getArtist(orgId: string, id: string): Promise<Artist | null>;
  listArtists(orgId: string, page: Page): Promise<Artist[]>;
  updateArtist(orgId: string, id: string, patch: Partial<ArtistInput>): Promise<Artist | null>;
  deleteArtist(orgId: string, id: string): Promise<boolean>;

  findRightsHolderByName(orgId: string, name: string, kind: RightsHolderKind): Promise<RightsHolder | null>;
  insertRightsHolder(orgId: string, input: RightsHolderInput): Promise<RightsHolder>;
  getRightsHolder(orgId: string, id: string): Promise<RightsHolder | null>;
  listRightsHolders(orgId: string, page: Page): Promise<RightsHolder[]>;
  updateRightsHolder(orgId: string, id: string, patch: Partial<RightsHolderInput>): Promise<RightsHolder | null>;
  deleteRightsHolder(orgId: string, id: string): Promise<boolean>;

  findRelease(orgId: string, by: { icpn: string } | { title: string; artistId: string | null }): Promise<Release | null>;
  insertRelease(orgId: string, input: ReleaseInput): Promise<Release>;
  getRelease(orgId: string, id: string): Promise<Release | null>;
  listReleases(orgId: string, page: Page): Promise<Release[]>;
  updateRelease(orgId: string, id: string, patch: Partial<ReleaseInput>): Promise<Release | null>;
  deleteRelease(orgId: string, id: string): Promise<boolean>;

  insertTrack(orgId: string, input: TrackInput): Promise<Track>;
  getTrack(orgId: string, id: string): Promise<Track | null>;
  findTrackByIsrc(orgId: string, isrc: string): Promise<Track | null>;
  findTrackByContentHash(orgId: string, contentHash: string): Promise<Track | null>;
  listTracks(orgId: string, page: Page & { isrc?: string }): Promise<Track[]>;
  updateTrack(orgId: string, id: string, patch: Partial<TrackInput>): Promise<Track | null>;
  deleteTrack(orgId: string, id: string): Promise<boolean>;

  /** Replaces the DDEX deals of a release. */
  replaceDeals(orgId: string, releaseId: string, deals: ErnDeal[]): Promise<void>;
  listDeals(orgId: string, releaseId: string): Promise<ErnDeal[]>;
  listReleaseTracks(orgId: string, releaseId: string): Promise<Track[]>;

  getSplits(trackId: string, kind: SplitKind): Promise<SplitShare[]>;
  /** Replaces a split as a whole and records it as the split's version from `at` (ISO time). Call inside a transaction. */
  replaceSplits(trackId: string, kind: SplitKind, shares: SplitShare[], at: string): Promise<void>;
}
