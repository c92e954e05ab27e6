// An ERN message into the catalog, in one transaction: display artists become artists, the
// label party a rights holder holding the master of recordings that have no master split yet,
// each main release a release (matched by ICPN, else title and artist) with its deals, each
// sound recording with a valid ISRC a track (matched by ISRC), AI disclosure included.
// Importing the same message again updates in place; nothing is duplicated.

import { appendAudit } from '../../audit/index.ts';
import { WHOLE_PPM, type ContainsAi } from '../types.ts';
import { findOrCreateArtist, type CatalogDeps, type CatalogRepos } from '../service.ts';
import type { Caller } from '../../shared/index.ts';
import { readErn } from './ern.ts';
import type { ErnMessage, ErnRecording, ErnRelease, ErnWarning } from './types.ts';

export interface DdexImportReport {
  messageId: string;
  version: string;
  sender: string | null;
  releases: { id: string; title: string; icpn: string | null; grid: string | null; created: boolean; deals: number }[];
  tracks: { id: string; isrc: string; title: string; created: boolean; containsAi: ContainsAi | null }[];
  artistsCreated: number;
  rightsHoldersCreated: number;
  warnings: ErnWarning[];
}

/** A recording's own disclosure; a release that is all AI or none passes its answer down, "Partly" says nothing about one track. */
function disclosure(rec: ErnRecording, rel: ErnRelease): ContainsAi | null {
  return rec.containsAi ?? (rel.containsAi === 'All' || rel.containsAi === 'None' ? rel.containsAi : null);
}

async function labelHolder(r: CatalogRepos, deps: CatalogDeps, caller: Caller, name: string, report: DdexImportReport): Promise<string> {
  const found = await r.catalog.findRightsHolderByName(caller.orgId, name, 'label');
  if (found) return found.id;
  const h = await r.catalog.insertRightsHolder(caller.orgId, { name, kind: 'label' });
  await appendAudit(r.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action: 'rights_holder.create', subject: `rights_holder:${h.id}`, data: { name, kind: 'label', source: 'ddex' } });
  report.rightsHoldersCreated++;
  return h.id;
}

async function importRelease(r: CatalogRepos, deps: CatalogDeps, caller: Caller, msg: ErnMessage, rel: ErnRelease, report: DdexImportReport) {
  const artist = async (name: string | null) => {
    if (!name) return null;
    const a = await findOrCreateArtist(r, deps.clock, caller, { name }, { source: 'ddex' });
    if (a.created) report.artistsCreated++;
    return a.id;
  };
  const artistId = await artist(rel.displayArtist);
  const holderId = rel.label ? await labelHolder(r, deps, caller, rel.label, report) : null;
  const fields = { title: rel.title, artistId, icpn: rel.icpn, grid: rel.grid, releaseDate: rel.releaseDate, genre: rel.genre, label: rel.label, pLine: rel.pLine, containsAi: rel.containsAi };
  const existing = await r.catalog.findRelease(caller.orgId, rel.icpn ? { icpn: rel.icpn } : { title: rel.title, artistId });
  const release = existing ? (await r.catalog.updateRelease(caller.orgId, existing.id, fields))! : await r.catalog.insertRelease(caller.orgId, fields);
  await r.catalog.replaceDeals(caller.orgId, release.id, rel.deals);
  await appendAudit(r.audit, deps.clock, {
    orgId: caller.orgId,
    actor: caller.actor,
    action: existing ? 'release.update' : 'release.create',
    subject: `release:${release.id}`,
    data: { ...fields, deals: rel.deals.length, source: `ddex:${msg.messageId}` },
  });
  report.releases.push({ id: release.id, title: release.title, icpn: release.icpn, grid: release.grid, created: !existing, deals: rel.deals.length });

  const byRef = new Map(msg.recordings.map((x) => [x.reference, x]));
  for (const ref of rel.recordings) {
    const rec = byRef.get(ref)!;
    if (!rec.isrc) {
      report.warnings.push({ line: rec.line, element: 'SoundRecording', message: `recording ${rec.reference} has no valid ISRC; not imported` });
      continue;
    }
    const input = {
      title: rec.title,
      artistId: (await artist(rec.displayArtist)) ?? artistId,
      releaseId: release.id,
      isrc: rec.isrc,
      durationMs: rec.durationMs,
      pLine: rec.pLine ?? rel.pLine,
      genre: rec.genre ?? rel.genre,
      containsAi: disclosure(rec, rel),
      contributors: rec.contributors,
    };
    const have = await r.catalog.findTrackByIsrc(caller.orgId, rec.isrc);
    const track = have ? (await r.catalog.updateTrack(caller.orgId, have.id, input))! : await r.catalog.insertTrack(caller.orgId, input);
    await appendAudit(r.audit, deps.clock, {
      orgId: caller.orgId,
      actor: caller.actor,
      action: have ? 'track.update' : 'track.create',
      subject: `track:${track.id}`,
      data: { ...input, source: `ddex:${msg.messageId}` },
    });
    if (holderId && (await r.catalog.getSplits(track.id, 'master')).length === 0) {
      await r.catalog.replaceSplits(track.id, 'master', [{ rightsHolderId: holderId, role: 'label', sharePpm: WHOLE_PPM }], deps.clock.now().toISOString());
      await appendAudit(r.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action: 'split.master.set', subject: `track:${track.id}`, data: { shares: [{ rightsHolderId: holderId, sharePpm: WHOLE_PPM }], source: 'ddex' } });
    }
    report.tracks.push({ id: track.id, isrc: rec.isrc, title: track.title, created: !have, containsAi: track.containsAi });
  }
}

/** Imports a message: XML read here, or a message already read (off the event loop, by readErnOffThread). */
export async function importDdex(deps: CatalogDeps, caller: Caller, message: string | Uint8Array | ErnMessage): Promise<DdexImportReport> {
  const msg = typeof message === 'string' || message instanceof Uint8Array ? readErn(message) : message;
  return deps.store.transaction(async (r) => {
    const report: DdexImportReport = { messageId: msg.messageId, version: msg.version, sender: msg.sender, releases: [], tracks: [], artistsCreated: 0, rightsHoldersCreated: 0, warnings: [...msg.warnings] };
    for (const rel of msg.releases) await importRelease(r, deps, caller, msg, rel, report);
    await appendAudit(r.audit, deps.clock, {
      orgId: caller.orgId,
      actor: caller.actor,
      action: 'ddex.import',
      subject: `ddex:${msg.messageId}`,
      data: { version: msg.version, namespace: msg.namespace, sender: msg.sender, releases: report.releases.length, tracks: report.tracks.length, warnings: report.warnings.length },
    });
    return report;
  });
}
