// Appending to the audit log. Call inside the transaction that makes the change, so the
// change and its record commit or vanish together.

import type { Clock } from '../shared/index.ts';
import { entryHash } from './chain.ts';
import type { AuditStore } from './store.ts';
import { GENESIS_HASH, type AuditEntry, type AuditEvent } from './types.ts';

export async function appendAudit(store: AuditStore, clock: Clock, event: AuditEvent): Promise<AuditEntry> {
  const head = await store.lockHead();
  const seq = head ? head.seq + 1 : 1;
  const prevHash = head ? head.hash : GENESIS_HASH;
  // Millisecond precision survives the round trip through timestamptz exactly.
  const at = new Date(Math.floor(clock.now().getTime())).toISOString();
  const base = { seq, at, ...event, data: event.data };
  const entry: AuditEntry = { ...base, prevHash, hash: entryHash(prevHash, base) };
  await store.insertEntry(entry);
  return entry;
}
