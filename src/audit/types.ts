// An audit entry: who did what to which subject, chained to the entry before it.

export interface AuditEvent {
  orgId: string | null;
  actor: string;
  action: string;
  subject: string | null;
  data: Record<string, unknown>;
}

export interface AuditEntry extends AuditEvent {
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

/** The hash that precedes the first entry. */
export const GENESIS_HASH = '0'.repeat(64);
