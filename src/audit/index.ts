export type { AuditEntry, AuditEvent } from './types.ts';
export { GENESIS_HASH } from './types.ts';
export type { AuditStore } from './store.ts';
export { appendAudit } from './append.ts';
export { verifyAudit, type AuditVerification, type AuditBreak } from './verify.ts';
export { entryHash } from './chain.ts';
