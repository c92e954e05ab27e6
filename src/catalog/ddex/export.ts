// One release of the catalog as an ERN 4.3 message.

import { randomUUID } from 'node:crypto';
import { LedgerlineError, type Caller } from '../../shared/index.ts';
import { CatalogErrors } from '../errors.ts';
import type { CatalogDeps } from '../service.ts';
import type { Artist } from '../types.ts';
import { writeErn43, type MessageParty } from './write.ts';

export async function exportDdex(deps: CatalogDeps, caller: Caller, releaseId: string, parties: { sender: MessageParty; recipient: MessageParty; messageId?: string }): Promise<string> {
  const c = deps.store.repos.catalog;
  const release = await c.getRelease(caller.orgId, releaseId);
  if (!release) throw new LedgerlineError(CatalogErrors.NOT_FOUND, `no release ${releaseId}`, { id: releaseId });
  const tracks = await c.listReleaseTracks(caller.orgId, releaseId);
  const artists = new Map<string, Artist>();
  for (const id of new Set([release.artistId, ...tracks.map((t) => t.artistId)])) {
    if (id) {
      const a = await c.getArtist(caller.orgId, id);
      if (a) artists.set(id, a);
    }
  }
  return writeErn43({
    messageId: parties.messageId ?? randomUUID(),
    createdAt: deps.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    sender: parties.sender,
    recipient: parties.recipient,
    release,
    tracks,
    artists,
    deals: await c.listDeals(caller.orgId, releaseId),
  });
}
