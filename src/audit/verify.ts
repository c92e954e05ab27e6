// Walks the whole chain in seq order and reports the first entry that does not hold: a gap in
// seq (a removed row), a prev_hash that is not the previous entry's hash (reordered or
// inserted), or a hash that does not match the content (an edited row).

import type { AuditStore } from './store.ts';
import { GENESIS_HASH } from './types.ts';
import { entryHash } from './chain.ts';

export interface AuditBreak {
  seq: number;
  reason: 'gap' | 'prev_hash_mismatch' | 'hash_mismatch';
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  headSeq: number;
  headHash: string;
  firstBroken: AuditBreak | null;
}

const PAGE = 1000;

/**
 * With `orgId`, the whole chain is still verified (an entry depends on every one before it) but
 * the counts and head reported are that organisation's own entries: one organisation learns
 * nothing of another's activity.
 */
export async function verifyAudit(store: AuditStore, orgId?: string): Promise<AuditVerification> {
  let prevSeq = 0;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  const own = { checked: 0, seq: 0, hash: GENESIS_HASH };
  const report = (ok: boolean, firstBroken: AuditBreak | null): AuditVerification =>
    orgId === undefined
      ? { ok, checked, headSeq: prevSeq, headHash: prevHash, firstBroken }
      : { ok, checked: own.checked, headSeq: own.seq, headHash: own.hash, firstBroken };
  for (;;) {
    const rows = await store.readAfter(prevSeq, PAGE);
    for (const e of rows) {
      let broken: AuditBreak | null = null;
      if (e.seq !== prevSeq + 1) {
        broken = { seq: e.seq, reason: 'gap', message: `entries ${prevSeq + 1}..${e.seq - 1} are missing` };
      } else if (e.prevHash !== prevHash) {
        broken = { seq: e.seq, reason: 'prev_hash_mismatch', message: `entry ${e.seq} does not follow entry ${prevSeq}` };
      } else if (entryHash(e.prevHash, e) !== e.hash) {
        broken = { seq: e.seq, reason: 'hash_mismatch', message: `entry ${e.seq} was changed after it was written` };
      }
      if (broken) return report(false, broken);
      checked++;
      prevSeq = e.seq;
      prevHash = e.hash;
      if (orgId !== undefined && e.orgId === orgId) {
        own.checked++;
        own.seq = e.seq;
        own.hash = e.hash;
      }
    }
    if (rows.length < PAGE) break;
  }
  return report(true, null);
}
