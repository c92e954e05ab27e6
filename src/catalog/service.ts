// Catalog operations. Every write checks its input, checks that what it references belongs to
// the caller's organisation, and records itself in the audit log in the same transaction.

import { appendAudit, type AuditStore } from '../audit/index.ts';
import { LedgerlineError, type Caller, type Clock, type Transactor } from '../shared/index.ts';
import { CatalogErrors } from './errors.ts';
import { checkContentHash, checkSlug, normaliseGrid, normaliseIcpn, normaliseIsrc, normaliseIswc } from './identifiers.ts';
import { checkSplit, type ShareInput } from './splits.ts';
import type { ErnDeal } from './ddex/types.ts';
import type { CatalogStore, Page } from './store.ts';
import type {
  Artist,
  ArtistInput,
  Organisation,
  Release,
  ReleaseInput,
  RightsHolder,
  RightsHolderInput,
  SplitKind,
  Track,
  TrackInput,
  TrackSplits,
} from './types.ts';

export type CatalogRepos = { catalog: CatalogStore; audit: AuditStore };

export interface CatalogDeps {
  store: Transactor<CatalogRepos>;
  clock: Clock;
}

function notFound(what: string, id: string): LedgerlineError {
  return new LedgerlineError(CatalogErrors.NOT_FOUND, `no ${what} ${id}`, { id });
}

function must<T>(value: T | null, what: string, id: string): T {
  if (value === null) throw notFound(what, id);
  return value;
}

async function audit(r: CatalogRepos, deps: CatalogDeps, caller: Caller, action: string, subject: string, data: Record<string, unknown>) {
  await appendAudit(r.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action, subject, data });
}

// ---- organisations (created by the platform operator through the CLI) ----

export async function createOrganisation(deps: CatalogDeps, actor: string, input: { slug: string; name: string }): Promise<Organisation> {
  const slug = checkSlug(input.slug);
  return deps.store.transaction(async (r) => {
    if (await r.catalog.findOrganisation(slug)) {
      throw new LedgerlineError(CatalogErrors.DUPLICATE_ORG, `an organisation "${slug}" exists`, { slug });
    }
    const org = await r.catalog.insertOrganisation({ slug, name: input.name });
    await appendAudit(r.audit, deps.clock, { orgId: org.id, actor, action: 'org.create', subject: `org:${org.id}`, data: { slug, name: input.name } });
    return org;
  });
}

export async function resolveOrganisation(deps: CatalogDeps, idOrSlug: string): Promise<Organisation> {
  const org = await deps.store.repos.catalog.findOrganisation(idOrSlug);
  if (!org) throw new LedgerlineError(CatalogErrors.ORG_NOT_FOUND, `no organisation "${idOrSlug}"`, { org: idOrSlug });
  return org;
}

export async function listOrganisations(deps: CatalogDeps): Promise<Organisation[]> {
  return deps.store.repos.catalog.listOrganisations();
}

export async function renameOrganisation(deps: CatalogDeps, caller: Caller, name: string): Promise<Organisation> {
  return deps.store.transaction(async (r) => {
    const org = must(await r.catalog.renameOrganisation(caller.orgId, name), 'organisation', caller.orgId);
    await audit(r, deps, caller, 'org.rename', `org:${org.id}`, { name });
    return org;
  });
}

// ---- artists ----

export async function createArtist(deps: CatalogDeps, caller: Caller, input: ArtistInput): Promise<Artist> {
  return deps.store.transaction(async (r) => {
    const a = await r.catalog.insertArtist(caller.orgId, input);
    await audit(r, deps, caller, 'artist.create', `artist:${a.id}`, { name: a.name, verified: a.verified });
    return a;
  });
}

/**
 * The artist of this name in the caller's organisation, created (and audited, with
 * `auditData` added to the entry) when there is none. Call inside a transaction.
 */
export async function findOrCreateArtist(
  r: CatalogRepos,
  clock: Clock,
  caller: Caller,
  input: ArtistInput,
  auditData: Record<string, unknown> = {},
): Promise<{ id: string; created: boolean }> {
  const found = await r.catalog.findArtistByName(caller.orgId, input.name);
  if (found) return { id: found.id, created: false };
  const made = await r.catalog.insertArtist(caller.orgId, input);
  await appendAudit(r.audit, clock, { orgId: caller.orgId, actor: caller.actor, action: 'artist.create', subject: `artist:${made.id}`, data: { name: made.name, ...auditData } });
  return { id: made.id, created: true };
}

export async function getArtist(deps: CatalogDeps, caller: Caller, id: string): Promise<Artist> {
  return must(await deps.store.repos.catalog.getArtist(caller.orgId, id), 'artist', id);
}

export async function listArtists(deps: CatalogDeps, caller: Caller, page: Page): Promise<Artist[]> {
  return deps.store.repos.catalog.listArtists(caller.orgId, page);
}

export async function updateArtist(deps: CatalogDeps, caller: Caller, id: string, patch: Partial<ArtistInput>): Promise<Artist> {
  return deps.store.transaction(async (r) => {
    const a = must(await r.catalog.updateArtist(caller.orgId, id, patch), 'artist', id);
    await audit(r, deps, caller, 'artist.update', `artist:${id}`, { ...patch });
    return a;
  });
}

export async function deleteArtist(deps: CatalogDeps, caller: Caller, id: string): Promise<void> {
  await deps.store.transaction(async (r) => {
    if (!(await r.catalog.deleteArtist(caller.orgId, id))) throw notFound('artist', id);
    await audit(r, deps, caller, 'artist.delete', `artist:${id}`, {});
  });
}

// ---- rights holders ----

function cleanRightsHolder<T extends Partial<RightsHolderInput>>(input: T): T {
  return input.ipi ? { ...input, ipi: input.ipi.replace(/\s/g, '') } : input;
}

export async function createRightsHolder(deps: CatalogDeps, caller: Caller, input: RightsHolderInput): Promise<RightsHolder> {
  return deps.store.transaction(async (r) => {
    const h = await r.catalog.insertRightsHolder(caller.orgId, cleanRightsHolder(input));
    await audit(r, deps, caller, 'rights_holder.create', `rights_holder:${h.id}`, { name: h.name, kind: h.kind });
    return h;
  });
}

export async function getRightsHolder(deps: CatalogDeps, caller: Caller, id: string): Promise<RightsHolder> {
  return must(await deps.store.repos.catalog.getRightsHolder(caller.orgId, id), 'rights holder', id);
}

export async function listRightsHolders(deps: CatalogDeps, caller: Caller, page: Page): Promise<RightsHolder[]> {
  return deps.store.repos.catalog.listRightsHolders(caller.orgId, page);
}

export async function updateRightsHolder(
  deps: CatalogDeps,
  caller: Caller,
  id: string,
  patch: Partial<RightsHolderInput>,
): Promise<RightsHolder> {
  return deps.store.transaction(async (r) => {
    const h = must(await r.catalog.updateRightsHolder(caller.orgId, id, cleanRightsHolder(patch)), 'rights holder', id);
    await audit(r, deps, caller, 'rights_holder.update', `rights_holder:${id}`, { ...patch });
    return h;
  });
}

export async function deleteRightsHolder(deps: CatalogDeps, caller: Caller, id: string): Promise<void> {
  await deps.store.transaction(async (r) => {
    if (!(await r.catalog.deleteRightsHolder(caller.orgId, id))) throw notFound('rights holder', id);
    await audit(r, deps, caller, 'rights_holder.delete', `rights_holder:${id}`, {});
  });
}

// ---- releases ----

async function checkArtistRef(r: CatalogRepos, orgId: string, artistId: string | null | undefined) {
  if (artistId && !(await r.catalog.getArtist(orgId, artistId))) {
    throw new LedgerlineError(CatalogErrors.BAD_REFERENCE, `artist ${artistId} does not exist in this organisation`, { artistId });
  }
}

function cleanRelease<T extends Partial<ReleaseInput>>(input: T): T {
  const out = { ...input };
  if (input.icpn) out.icpn = normaliseIcpn(input.icpn);
  if (input.grid) out.grid = normaliseGrid(input.grid);
  return out;
}

export async function createRelease(deps: CatalogDeps, caller: Caller, input: ReleaseInput): Promise<Release> {
  const clean = cleanRelease(input);
  return deps.store.transaction(async (r) => {
    await checkArtistRef(r, caller.orgId, clean.artistId);
    const rel = await r.catalog.insertRelease(caller.orgId, clean);
    await audit(r, deps, caller, 'release.create', `release:${rel.id}`, { ...clean });
    return rel;
  });
}

export async function getRelease(deps: CatalogDeps, caller: Caller, id: string): Promise<Release> {
  return must(await deps.store.repos.catalog.getRelease(caller.orgId, id), 'release', id);
}

export async function listReleases(deps: CatalogDeps, caller: Caller, page: Page): Promise<Release[]> {
  return deps.store.repos.catalog.listReleases(caller.orgId, page);
}

export async function updateRelease(deps: CatalogDeps, caller: Caller, id: string, patch: Partial<ReleaseInput>): Promise<Release> {
  const clean = cleanRelease(patch);
  return deps.store.transaction(async (r) => {
    await checkArtistRef(r, caller.orgId, clean.artistId);
    const rel = must(await r.catalog.updateRelease(caller.orgId, id, clean), 'release', id);
    await audit(r, deps, caller, 'release.update', `release:${id}`, { ...clean });
    return rel;
  });
}

export async function deleteRelease(deps: CatalogDeps, caller: Caller, id: string): Promise<void> {
  await deps.store.transaction(async (r) => {
    if (!(await r.catalog.deleteRelease(caller.orgId, id))) throw notFound('release', id);
    await audit(r, deps, caller, 'release.delete', `release:${id}`, {});
  });
}

/** The DDEX deals of a release: where, when and how it may be used. */
export async function getDeals(deps: CatalogDeps, caller: Caller, releaseId: string): Promise<ErnDeal[]> {
  must(await deps.store.repos.catalog.getRelease(caller.orgId, releaseId), 'release', releaseId);
  return deps.store.repos.catalog.listDeals(caller.orgId, releaseId);
}

// ---- tracks ----

function cleanTrack<T extends Partial<TrackInput>>(input: T): T {
  const out = { ...input };
  if (input.isrc) out.isrc = normaliseIsrc(input.isrc);
  if (input.iswc) out.iswc = normaliseIswc(input.iswc);
  if (input.contentHash) out.contentHash = checkContentHash(input.contentHash);
  return out;
}

async function checkTrackRefs(r: CatalogRepos, orgId: string, input: Partial<TrackInput>) {
  await checkArtistRef(r, orgId, input.artistId);
  if (input.releaseId && !(await r.catalog.getRelease(orgId, input.releaseId))) {
    throw new LedgerlineError(CatalogErrors.BAD_REFERENCE, `release ${input.releaseId} does not exist in this organisation`, {
      releaseId: input.releaseId,
    });
  }
}

async function checkIsrcFree(r: CatalogRepos, orgId: string, isrc: string | null | undefined, selfId?: string) {
  if (!isrc) return;
  const other = await r.catalog.findTrackByIsrc(orgId, isrc);
  if (other && other.id !== selfId) {
    throw new LedgerlineError(CatalogErrors.DUPLICATE_ISRC, `ISRC ${isrc} is already track ${other.id}`, { isrc, trackId: other.id });
  }
}

export async function createTrack(deps: CatalogDeps, caller: Caller, input: TrackInput): Promise<Track> {
  const clean = cleanTrack(input);
  return deps.store.transaction(async (r) => {
    await checkTrackRefs(r, caller.orgId, clean);
    await checkIsrcFree(r, caller.orgId, clean.isrc);
    const t = await r.catalog.insertTrack(caller.orgId, clean);
    await audit(r, deps, caller, 'track.create', `track:${t.id}`, { ...clean });
    return t;
  });
}

export async function getTrack(deps: CatalogDeps, caller: Caller, id: string): Promise<Track> {
  return must(await deps.store.repos.catalog.getTrack(caller.orgId, id), 'track', id);
}

export async function listTracks(deps: CatalogDeps, caller: Caller, query: Page & { isrc?: string }): Promise<Track[]> {
  const isrc = query.isrc ? normaliseIsrc(query.isrc) : undefined;
  return deps.store.repos.catalog.listTracks(caller.orgId, { ...query, isrc });
}

export async function updateTrack(deps: CatalogDeps, caller: Caller, id: string, patch: Partial<TrackInput>): Promise<Track> {
  const clean = cleanTrack(patch);
  return deps.store.transaction(async (r) => {
    await checkTrackRefs(r, caller.orgId, clean);
    await checkIsrcFree(r, caller.orgId, clean.isrc, id);
    const t = must(await r.catalog.updateTrack(caller.orgId, id, clean), 'track', id);
    await audit(r, deps, caller, 'track.update', `track:${id}`, { ...clean });
    return t;
  });
}

export async function deleteTrack(deps: CatalogDeps, caller: Caller, id: string): Promise<void> {
  await deps.store.transaction(async (r) => {
    if (!(await r.catalog.deleteTrack(caller.orgId, id))) throw notFound('track', id);
    await audit(r, deps, caller, 'track.delete', `track:${id}`, {});
  });
}

// ---- splits ----

export async function getSplits(deps: CatalogDeps, caller: Caller, trackId: string): Promise<TrackSplits> {
  const c = deps.store.repos.catalog;
  must(await c.getTrack(caller.orgId, trackId), 'track', trackId);
  return { trackId, master: await c.getSplits(trackId, 'master'), publishing: await c.getSplits(trackId, 'publishing') };
}

/** Replaces one split of a track as a whole; shares must sum to exactly 100% (or be empty to clear it). */
export async function setSplit(deps: CatalogDeps, caller: Caller, trackId: string, kind: SplitKind, shares: ShareInput[]): Promise<TrackSplits> {
  const checked = checkSplit(kind, shares);
  return deps.store.transaction(async (r) => {
    must(await r.catalog.getTrack(caller.orgId, trackId), 'track', trackId);
    for (const s of checked) {
      if (!(await r.catalog.getRightsHolder(caller.orgId, s.rightsHolderId))) {
        throw new LedgerlineError(CatalogErrors.BAD_REFERENCE, `rights holder ${s.rightsHolderId} does not exist in this organisation`, {
          rightsHolderId: s.rightsHolderId,
        });
      }
    }
    await r.catalog.replaceSplits(trackId, kind, checked, deps.clock.now().toISOString());
    await audit(r, deps, caller, `split.${kind}.set`, `track:${trackId}`, { shares: checked });
    return { trackId, master: await r.catalog.getSplits(trackId, 'master'), publishing: await r.catalog.getSplits(trackId, 'publishing') };
  });
}

// ---- the same five operations per entity, for the API and CLI shells ----

/** List, create, read, change and delete one kind of catalog entity. */
export interface EntityOps<E, C> {
  list(deps: CatalogDeps, caller: Caller, page: Page): Promise<E[]>;
  create(deps: CatalogDeps, caller: Caller, input: C): Promise<E>;
  get(deps: CatalogDeps, caller: Caller, id: string): Promise<E>;
  update(deps: CatalogDeps, caller: Caller, id: string, patch: Partial<C>): Promise<E>;
  remove(deps: CatalogDeps, caller: Caller, id: string): Promise<void>;
}

export const artistOps: EntityOps<Artist, ArtistInput> = {
  list: listArtists,
  create: createArtist,
  get: getArtist,
  update: updateArtist,
  remove: deleteArtist,
};

export const rightsHolderOps: EntityOps<RightsHolder, RightsHolderInput> = {
  list: listRightsHolders,
  create: createRightsHolder,
  get: getRightsHolder,
  update: updateRightsHolder,
  remove: deleteRightsHolder,
};

export const releaseOps: EntityOps<Release, ReleaseInput> = {
  list: listReleases,
  create: createRelease,
  get: getRelease,
  update: updateRelease,
  remove: deleteRelease,
};

export const trackOps: EntityOps<Track, TrackInput> = {
  list: listTracks,
  create: createTrack,
  get: getTrack,
  update: updateTrack,
  remove: deleteTrack,
};
