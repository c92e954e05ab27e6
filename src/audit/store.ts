// What the audit log needs from storage: an exclusive append point and ordered reads.

import type { AuditEntry } from './types.ts';

export interface AuditStore {
  /**
   * Serialises appenders across transactions and processes until the surrounding transaction
   * ends, then returns the last entry (or null for an empty log).
   */
  lockHead(): Promise<Pick<AuditEntry, 'seq' | 'hash'> | null>;
  insertEntry(entry: AuditEntry): Promise<void>;
  /** Entries with seq > afterSeq, ascending, at most `limit`. */
  readAfter(afterSeq: number, limit: number, orgId?: string): Promise<AuditEntry[]>;
}
