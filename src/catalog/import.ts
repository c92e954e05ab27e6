// Bulk import of a catalog from one JSON document (a label onboarding its back catalog).
// Everything is checked before the first write, so a bad document writes nothing. Each track
// then commits in its own transaction with its splits and audit entries, and tracks whose ISRC
// is already present are skipped: a crash mid-import leaves only whole tracks, and running
// the same import again completes it without duplicates.

import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { appendAudit } from '../audit/index.ts';
import { CommonErrors, LedgerlineError, type Caller } from '../shared/index.ts';
import { CatalogErrors } from './errors.ts';
import { checkContentHash, normaliseGrid, normaliseIcpn, normaliseIsrc, normaliseIswc } from './identifiers.ts';
import { findOrCreateArtist, type CatalogDeps } from './service.ts';
import { checkSplit } from './splits.ts';
import { RIGHTS_HOLDER_KINDS, type SplitShare } from './types.ts';

const Ref = Type.String({ minLength: 1, maxLength: 200 });
const Share = Type.Object(
  { holder: Ref, percent: Type.Union([Type.String(), Type.Number()]), role: Type.Optional(Type.String({ maxLength: 100 })) },
  { additionalProperties: false },
);

export const CatalogDocument = Type.Object(
  {
    artists: Type.Optional(
      Type.Array(Type.Object({ ref: Ref, name: Type.String({ minLength: 1, maxLength: 500 }), verified: Type.Optional(Type.Boolean()) }, { additionalProperties: false })),
    ),
    rightsHolders: Type.Optional(
      Type.Array(
        Type.Object(
          {
            ref: Ref,
            name: Type.String({ minLength: 1, maxLength: 500 }),
            kind: Type.Union(RIGHTS_HOLDER_KINDS.map((k) => Type.Literal(k))),
            ipi: Type.Optional(Type.String({ maxLength: 20 })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    releases: Type.Optional(
      Type.Array(
        Type.Object(
          {
            ref: Ref,
            title: Type.String({ minLength: 1, maxLength: 1000 }),
            artist: Type.Optional(Ref),
            icpn: Type.Optional(Type.String()),
            grid: Type.Optional(Type.String()),
            releaseDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    tracks: Type.Array(
      Type.Object(
        {
          title: Type.String({ minLength: 1, maxLength: 1000 }),
          isrc: Type.String(),
          artist: Type.Optional(Ref),
          release: Type.Optional(Ref),
          iswc: Type.Optional(Type.String()),
          durationMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400_000 })),
          contentHash: Type.Optional(Type.String()),
          master: Type.Optional(Type.Array(Share)),
          publishing: Type.Optional(Type.Array(Share)),
        },
        { additionalProperties: false },
      ),
      { maxItems: 1_000_000 },
    ),
  },
  { additionalProperties: false },
);
export type CatalogDocument = Static<typeof CatalogDocument>;

export interface ImportReport {
  artists: { created: number; existing: number };
  rightsHolders: { created: number; existing: number };
  releases: { created: number; existing: number };
  tracks: { created: number; skipped: number };
}

/** Checks shape, references, identifiers and splits of the whole document; throws the first problem, located. */
export function checkCatalogDocument(doc: unknown): CatalogDocument {
  if (!Value.Check(CatalogDocument, doc)) {
    const first = [...Value.Errors(CatalogDocument, doc)][0];
    const where = first?.path || '/';
    throw new LedgerlineError(CommonErrors.BAD_INPUT, `catalog document: ${where}: ${first?.message ?? 'invalid'}`, { path: where });
  }
  const d = doc as CatalogDocument;
  const refs = (list: Array<{ ref: string }> | undefined, what: string) => {
    const set = new Set<string>();
    for (const x of list ?? []) {
      if (set.has(x.ref)) throw new LedgerlineError(CommonErrors.BAD_INPUT, `catalog document: ${what} ref "${x.ref}" is used twice`, { ref: x.ref });
      set.add(x.ref);
    }
    return set;
  };
  const artists = refs(d.artists, 'artist');
  const holders = refs(d.rightsHolders, 'rights holder');
  const releases = refs(d.releases, 'release');
  const need = (set: Set<string>, ref: string | undefined, what: string, where: string) => {
    if (ref !== undefined && !set.has(ref)) {
      throw new LedgerlineError(CatalogErrors.BAD_REFERENCE, `catalog document: ${where} names ${what} "${ref}", which the document does not define`, { ref });
    }
  };
  for (const [i, r] of (d.releases ?? []).entries()) {
    need(artists, r.artist, 'artist', `releases[${i}]`);
    if (r.icpn) normaliseIcpn(r.icpn);
    if (r.grid) normaliseGrid(r.grid);
  }
  const isrcs = new Set<string>();
  for (const [i, t] of d.tracks.entries()) {
    const where = `tracks[${i}]`;
    need(artists, t.artist, 'artist', where);
    need(releases, t.release, 'release', where);
    const isrc = normaliseIsrc(t.isrc);
    if (isrcs.has(isrc)) throw new LedgerlineError(CatalogErrors.DUPLICATE_ISRC, `catalog document: ${where}: ISRC ${isrc} appears twice`, { isrc });
    isrcs.add(isrc);
    if (t.iswc) normaliseIswc(t.iswc);
    if (t.contentHash) checkContentHash(t.contentHash);
    for (const kind of ['master', 'publishing'] as const) {
      for (const s of t[kind] ?? []) need(holders, s.holder, 'rights holder', `${where}.${kind}`);
      try {
        checkSplit(kind, (t[kind] ?? []).map((s) => ({ rightsHolderId: s.holder, percent: s.percent, role: s.role })));
      } catch (err) {
        if (err instanceof LedgerlineError) throw new LedgerlineError(err, `catalog document: ${where}: ${err.message}`, err.details);
        throw err;
      }
    }
  }
  return d;
}

export async function importCatalog(
  deps: CatalogDeps,
  caller: Caller,
  raw: unknown,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<ImportReport> {
  const doc = checkCatalogDocument(raw);
  const report: ImportReport = {
    artists: { created: 0, existing: 0 },
    rightsHolders: { created: 0, existing: 0 },
    releases: { created: 0, existing: 0 },
    tracks: { created: 0, skipped: 0 },
  };
  const audit = (r: Parameters<Parameters<typeof deps.store.transaction>[0]>[0], action: string, subject: string, data: Record<string, unknown>) =>
    appendAudit(r.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action, subject, data: { ...data, via: 'import' } });

  const artistIds = new Map<string, string>();
  for (const a of doc.artists ?? []) {
    const verified = a.verified ?? false;
    const { id, created } = await deps.store.transaction((r) =>
      findOrCreateArtist(r, deps.clock, caller, { name: a.name, verified }, { verified, via: 'import' }),
    );
    if (created) report.artists.created++;
    else report.artists.existing++;
    artistIds.set(a.ref, id);
  }
  const holderIds = new Map<string, string>();
  for (const h of doc.rightsHolders ?? []) {
    const id = await deps.store.transaction(async (r) => {
      const found = await r.catalog.findRightsHolderByName(caller.orgId, h.name, h.kind);
      if (found) return (report.rightsHolders.existing++, found.id);
      const made = await r.catalog.insertRightsHolder(caller.orgId, { name: h.name, kind: h.kind, ipi: h.ipi ?? null });
      await audit(r, 'rights_holder.create', `rights_holder:${made.id}`, { name: made.name, kind: made.kind });
      return (report.rightsHolders.created++, made.id);
    });
    holderIds.set(h.ref, id);
  }
  const releaseIds = new Map<string, string>();
  for (const rel of doc.releases ?? []) {
    const artistId = rel.artist ? artistIds.get(rel.artist)! : null;
    const icpn = rel.icpn ? normaliseIcpn(rel.icpn) : null;
    const id = await deps.store.transaction(async (r) => {
      const found = await r.catalog.findRelease(caller.orgId, icpn ? { icpn } : { title: rel.title, artistId });
      if (found) return (report.releases.existing++, found.id);
      const input = { title: rel.title, artistId, icpn, grid: rel.grid ? normaliseGrid(rel.grid) : null, releaseDate: rel.releaseDate ?? null };
      const made = await r.catalog.insertRelease(caller.orgId, input);
      await audit(r, 'release.create', `release:${made.id}`, { ...input });
      return (report.releases.created++, made.id);
    });
    releaseIds.set(rel.ref, id);
  }

  const total = doc.tracks.length;
  for (const [i, t] of doc.tracks.entries()) {
    const isrc = normaliseIsrc(t.isrc);
    await deps.store.transaction(async (r) => {
      if (await r.catalog.findTrackByIsrc(caller.orgId, isrc)) return void report.tracks.skipped++;
      const input = {
        title: t.title,
        isrc,
        artistId: t.artist ? artistIds.get(t.artist)! : null,
        releaseId: t.release ? releaseIds.get(t.release)! : null,
        iswc: t.iswc ? normaliseIswc(t.iswc) : null,
        durationMs: t.durationMs ?? null,
        contentHash: t.contentHash ? checkContentHash(t.contentHash) : null,
      };
      const track = await r.catalog.insertTrack(caller.orgId, input);
      await audit(r, 'track.create', `track:${track.id}`, { ...input });
      for (const kind of ['master', 'publishing'] as const) {
        const shares: SplitShare[] = checkSplit(
          kind,
          (t[kind] ?? []).map((s) => ({ rightsHolderId: holderIds.get(s.holder)!, percent: s.percent, role: s.role })),
        );
        if (shares.length === 0) continue;
        await r.catalog.replaceSplits(track.id, kind, shares, deps.clock.now().toISOString());
        await audit(r, `split.${kind}.set`, `track:${track.id}`, { shares });
      }
      report.tracks.created++;
    });
    onProgress(i + 1, total);
  }
  return report;
}
