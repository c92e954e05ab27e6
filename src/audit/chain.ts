// The hash chain: each entry's hash covers the previous hash and the entry's canonical content,
// so changing, inserting or removing any entry breaks every hash after it.
// hash_n = SHA-256(hash_{n-1} || "\n" || canonicalJson(entry_n without hashes)), hex-encoded.

import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/index.ts';
import type { AuditEntry } from './types.ts';

export function entryHash(prevHash: string, entry: Omit<AuditEntry, 'hash' | 'prevHash'>): string {
  const body = canonicalJson({
    seq: entry.seq,
    at: entry.at,
    orgId: entry.orgId,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    data: entry.data,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}
