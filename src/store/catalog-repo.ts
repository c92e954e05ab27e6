// CatalogStore over Kysely. Every statement filters on org_id: another organisation's rows
// look exactly like missing rows.

import { sql, type Kysely, type Selectable } from 'kysely';
import type {
  Artist,
  CatalogStore,
  Organisation,
  Release,
  RightsHolder,
  RightsHolderKind,
  SplitKind,
  SplitShare,
  Track,
  ContainsAi,
  Contributor,
} from '../catalog/index.ts';
import { CatalogErrors } from '../catalog/index.ts';
import { LedgerlineError } from '../shared/index.ts';
import type { ArtistsTable, Database, OrganisationsTable, ReleasesTable, RightsHoldersTable, TracksTable } from './schema.ts';
import { iso, isoDate, isUuid, parseJson } from './rows.ts';
import { pgErrorCode, UNIQUE_VIOLATION } from './pg-errors.ts';

const toOrg = (r: Selectable<OrganisationsTable>): Organisation => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  createdAt: iso(r.created_at)!,
});

const toArtist = (r: Selectable<ArtistsTable>): Artist => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  verified: r.verified,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
});

const toRightsHolder = (r: Selectable<RightsHoldersTable>): RightsHolder => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  kind: r.kind as RightsHolderKind,
  ipi: r.ipi,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
});

const toRelease = (r: Selectable<ReleasesTable>): Release => ({
  id: r.id,
  orgId: r.org_id,
  title: r.title,
  artistId: r.artist_id,
  icpn: r.icpn,
  grid: r.grid,
  releaseDate: isoDate(r.release_date),
  genre: r.genre,
  label: r.label,
  pLine: r.p_line,
  containsAi: r.contains_ai as ContainsAi | null,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
});

const toTrack = (r: Selectable<TracksTable>): Track => ({
  id: r.id,
  orgId: r.org_id,
  title: r.title,
  artistId: r.artist_id,
  releaseId: r.release_id,
  isrc: r.isrc,
  iswc: r.iswc,
  durationMs: r.duration_ms,
  contentHash: r.content_hash,
  genre: r.genre,
  pLine: r.p_line,
  containsAi: r.contains_ai as ContainsAi | null,
  contributors: (parseJson(r.contributors) as Contributor[] | null) ?? [],
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
});


/** Drops keys whose value is undefined, so a PATCH only touches what it names. */
function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function inUse(what: string, id: string, err: unknown): never {
  if (pgErrorCode(err) === '23503') {
    throw new LedgerlineError(CatalogErrors.IN_USE, `${what} ${id} is still referenced and cannot be deleted`, { id }, { cause: err });
  }
  throw err;
}

/** The only unique constraint a track write can break is (org, ISRC): say so, else rethrow. */
function duplicateIsrc(isrc: string | null | undefined, err: unknown): never {
  if (pgErrorCode(err) === UNIQUE_VIOLATION) {
    throw new LedgerlineError(CatalogErrors.DUPLICATE_ISRC, `ISRC ${isrc} already exists`, { isrc }, { cause: err });
  }
  throw err;
}

export function catalogRepo(db: Kysely<Database>): CatalogStore {
  return {
    async insertOrganisation(input) {
      return toOrg(await db.insertInto('organisations').values(input).returningAll().executeTakeFirstOrThrow());
    },
    async getOrganisation(id) {
      if (!isUuid(id)) return null;
      const r = await db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toOrg(r) : null;
    },
    async findOrganisation(idOrSlug) {
      const q = db.selectFrom('organisations').selectAll();
      const r = await (isUuid(idOrSlug) ? q.where('id', '=', idOrSlug) : q.where('slug', '=', idOrSlug)).executeTakeFirst();
      return r ? toOrg(r) : null;
    },
    async listOrganisations() {
      return (await db.selectFrom('organisations').selectAll().orderBy('created_at').execute()).map(toOrg);
    },
    async renameOrganisation(id, name) {
      const r = await db.updateTable('organisations').set({ name }).where('id', '=', id).returningAll().executeTakeFirst();
      return r ? toOrg(r) : null;
    },

    async findArtistByName(orgId, name) {
      const r = await db.selectFrom('artists').selectAll().where('org_id', '=', orgId).where('name', '=', name).orderBy('created_at').executeTakeFirst();
      return r ? toArtist(r) : null;
    },
    async insertArtist(orgId, input) {
      const r = await db
        .insertInto('artists')
        .values({ org_id: orgId, name: input.name, verified: input.verified ?? false })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toArtist(r);
    },
    async getArtist(orgId, id) {
      if (!isUuid(id)) return null;
      const r = await db.selectFrom('artists').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
      return r ? toArtist(r) : null;
    },
    async listArtists(orgId, page) {
      const rows = await db
        .selectFrom('artists')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('created_at')
        .orderBy('id')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
      return rows.map(toArtist);
    },
    async updateArtist(orgId, id, patch) {
      if (!isUuid(id)) return null;
      const r = await db
        .updateTable('artists')
        .set({ ...defined({ name: patch.name, verified: patch.verified }), updated_at: sql`now()` })
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return r ? toArtist(r) : null;
    },
    async deleteArtist(orgId, id) {
      if (!isUuid(id)) return false;
      try {
        const r = await db.deleteFrom('artists').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
        return r.numDeletedRows > 0n;
      } catch (err) {
        return inUse('artist', id, err);
      }
    },

    async findRightsHolderByName(orgId, name, kind) {
      const r = await db
        .selectFrom('rights_holders')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('name', '=', name)
        .where('kind', '=', kind)
        .orderBy('created_at')
        .executeTakeFirst();
      return r ? toRightsHolder(r) : null;
    },
    async insertRightsHolder(orgId, input) {
      const r = await db
        .insertInto('rights_holders')
        .values({ org_id: orgId, name: input.name, kind: input.kind, ipi: input.ipi ?? null })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRightsHolder(r);
    },
    async getRightsHolder(orgId, id) {
      if (!isUuid(id)) return null;
      const r = await db.selectFrom('rights_holders').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
      return r ? toRightsHolder(r) : null;
    },
    async listRightsHolders(orgId, page) {
      const rows = await db
        .selectFrom('rights_holders')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('created_at')
        .orderBy('id')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
      return rows.map(toRightsHolder);
    },
    async updateRightsHolder(orgId, id, patch) {
      if (!isUuid(id)) return null;
      const r = await db
        .updateTable('rights_holders')
        .set({ ...defined({ name: patch.name, kind: patch.kind, ipi: patch.ipi }), updated_at: sql`now()` })
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return r ? toRightsHolder(r) : null;
    },
    async deleteRightsHolder(orgId, id) {
      if (!isUuid(id)) return false;
      try {
        const r = await db.deleteFrom('rights_holders').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
        return r.numDeletedRows > 0n;
      } catch (err) {
        return inUse('rights holder', id, err);
      }
    },

    async findRelease(orgId, by) {
      let q = db.selectFrom('releases').selectAll().where('org_id', '=', orgId);
      if ('icpn' in by) q = q.where('icpn', '=', by.icpn);
      else q = q.where('title', '=', by.title).where('artist_id', by.artistId === null ? 'is' : '=', by.artistId);
      const r = await q.orderBy('created_at').executeTakeFirst();
      return r ? toRelease(r) : null;
    },
    async insertRelease(orgId, input) {
      const r = await db
        .insertInto('releases')
        .values({
          org_id: orgId,
          title: input.title,
          artist_id: input.artistId ?? null,
          icpn: input.icpn ?? null,
          grid: input.grid ?? null,
          release_date: input.releaseDate ?? null,
          genre: input.genre ?? null,
          label: input.label ?? null,
          p_line: input.pLine ?? null,
          contains_ai: input.containsAi ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRelease(r);
    },
    async getRelease(orgId, id) {
      if (!isUuid(id)) return null;
      const r = await db.selectFrom('releases').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
      return r ? toRelease(r) : null;
    },
    async listReleases(orgId, page) {
      const rows = await db
        .selectFrom('releases')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('created_at')
        .orderBy('id')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
      return rows.map(toRelease);
    },
    async updateRelease(orgId, id, patch) {
      if (!isUuid(id)) return null;
      const r = await db
        .updateTable('releases')
        .set({
          ...defined({
            title: patch.title,
            artist_id: patch.artistId,
            icpn: patch.icpn,
            grid: patch.grid,
            release_date: patch.releaseDate,
            genre: patch.genre,
            label: patch.label,
            p_line: patch.pLine,
            contains_ai: patch.containsAi,
          }),
          updated_at: sql`now()`,
        })
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return r ? toRelease(r) : null;
    },
    async deleteRelease(orgId, id) {
      if (!isUuid(id)) return false;
      try {
        const r = await db.deleteFrom('releases').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
        return r.numDeletedRows > 0n;
      } catch (err) {
        return inUse('release', id, err);
      }
    },

    async insertTrack(orgId, input) {
      try {
        const r = await db
          .insertInto('tracks')
          .values({
            org_id: orgId,
            title: input.title,
            artist_id: input.artistId ?? null,
            release_id: input.releaseId ?? null,
            isrc: input.isrc ?? null,
            iswc: input.iswc ?? null,
            duration_ms: input.durationMs ?? null,
            content_hash: input.contentHash ?? null,
            genre: input.genre ?? null,
            p_line: input.pLine ?? null,
            contains_ai: input.containsAi ?? null,
            contributors: JSON.stringify(input.contributors ?? []),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toTrack(r);
      } catch (err) {
        return duplicateIsrc(input.isrc, err);
      }
    },
    async getTrack(orgId, id) {
      if (!isUuid(id)) return null;
      const r = await db.selectFrom('tracks').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
      return r ? toTrack(r) : null;
    },
    async findTrackByIsrc(orgId, isrc) {
      const r = await db.selectFrom('tracks').selectAll().where('org_id', '=', orgId).where('isrc', '=', isrc).executeTakeFirst();
      return r ? toTrack(r) : null;
    },
    async findTrackByContentHash(orgId, contentHash) {
      const r = await db.selectFrom('tracks').selectAll().where('org_id', '=', orgId).where('content_hash', '=', contentHash).executeTakeFirst();
      return r ? toTrack(r) : null;
    },
    async listTracks(orgId, q) {
      let query = db.selectFrom('tracks').selectAll().where('org_id', '=', orgId);
      if (q.isrc) query = query.where('isrc', '=', q.isrc);
      const rows = await query.orderBy('created_at').orderBy('id').limit(q.limit).offset(q.offset).execute();
      return rows.map(toTrack);
    },
    async updateTrack(orgId, id, patch) {
      if (!isUuid(id)) return null;
      try {
        const r = await db
          .updateTable('tracks')
          .set({
            ...defined({
              title: patch.title,
              artist_id: patch.artistId,
              release_id: patch.releaseId,
              isrc: patch.isrc,
              iswc: patch.iswc,
              duration_ms: patch.durationMs,
              content_hash: patch.contentHash,
              genre: patch.genre,
              p_line: patch.pLine,
              contains_ai: patch.containsAi,
              contributors: patch.contributors === undefined ? undefined : JSON.stringify(patch.contributors),
            }),
            updated_at: sql`now()`,
          })
          .where('org_id', '=', orgId)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst();
        return r ? toTrack(r) : null;
      } catch (err) {
        return duplicateIsrc(patch.isrc, err);
      }
    },
    async deleteTrack(orgId, id) {
      if (!isUuid(id)) return false;
      const r = await db.deleteFrom('tracks').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
      return r.numDeletedRows > 0n;
    },

    async replaceDeals(orgId, releaseId, deals) {
      await db.deleteFrom('release_deals').where('org_id', '=', orgId).where('release_id', '=', releaseId).execute();
      if (deals.length === 0) return;
      await db
        .insertInto('release_deals')
        .values(
          deals.map((d) => ({
            org_id: orgId,
            release_id: releaseId,
            territories: JSON.stringify(d.territories),
            excluded_territories: JSON.stringify(d.excludedTerritories),
            valid_from: d.validFrom,
            valid_until: d.validUntil,
            use_types: JSON.stringify(d.useTypes),
            commercial_models: JSON.stringify(d.commercialModels),
          })),
        )
        .execute();
    },
    async listDeals(orgId, releaseId) {
      if (!isUuid(releaseId)) return [];
      const rows = await db.selectFrom('release_deals').selectAll().where('org_id', '=', orgId).where('release_id', '=', releaseId).orderBy('id').execute();
      return rows.map((r) => ({
        territories: parseJson(r.territories) as string[],
        excludedTerritories: parseJson(r.excluded_territories) as string[],
        validFrom: isoDate(r.valid_from),
        validUntil: isoDate(r.valid_until),
        useTypes: parseJson(r.use_types) as string[],
        commercialModels: parseJson(r.commercial_models) as string[],
      }));
    },
    async listReleaseTracks(orgId, releaseId) {
      if (!isUuid(releaseId)) return [];
      const rows = await db.selectFrom('tracks').selectAll().where('org_id', '=', orgId).where('release_id', '=', releaseId).orderBy('isrc').orderBy('id').execute();
      return rows.map(toTrack);
    },
    async getSplits(trackId, kind: SplitKind): Promise<SplitShare[]> {
      const rows = await db
        .selectFrom('splits')
        .select(['rights_holder_id', 'role', 'share_ppm'])
        .where('track_id', '=', trackId)
        .where('kind', '=', kind)
        .orderBy('share_ppm', 'desc')
        .orderBy('rights_holder_id')
        .execute();
      return rows.map((r) => ({ rightsHolderId: r.rights_holder_id, role: r.role, sharePpm: r.share_ppm }));
    },
    async replaceSplits(trackId, kind, shares, at) {
      await db.deleteFrom('splits').where('track_id', '=', trackId).where('kind', '=', kind).execute();
      // The version is the split as a whole from this instant (a second replacement in the same instant supersedes it).
      const version = JSON.stringify([...shares].sort((a, b) => (a.rightsHolderId < b.rightsHolderId ? -1 : 1)).map((s) => ({ holderId: s.rightsHolderId, sharePpm: s.sharePpm })));
      await db
        .insertInto('split_versions')
        .values({ track_id: trackId, kind, valid_from: at, shares: version })
        .onConflict((oc) => oc.columns(['track_id', 'kind', 'valid_from']).doUpdateSet({ shares: version }))
        .execute();
      if (shares.length === 0) return;
      await db
        .insertInto('splits')
        .values(shares.map((s) => ({ track_id: trackId, kind, rights_holder_id: s.rightsHolderId, role: s.role, share_ppm: s.sharePpm })))
        .execute();
    },
  };
}
