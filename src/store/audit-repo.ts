// AuditStore over Kysely. Appenders serialise on a transaction-scoped advisory lock, so two
// processes never both extend the chain from the same head.

import { sql, type Kysely } from 'kysely';
import type { AuditEntry, AuditStore } from '../audit/index.ts';
import type { Database } from './schema.ts';
import { iso, parseJson } from './rows.ts';

/** Advisory lock key for the audit head: the first 8 hex digits of sha256("ledgerline.audit"). */
const AUDIT_LOCK = 0x2f1a6c3d;

export function auditRepo(db: Kysely<Database>): AuditStore {
  return {
    async lockHead() {
      await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(db);
      const r = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      return r ? { seq: Number(r.seq), hash: r.hash } : null;
    },
    async insertEntry(e) {
      await db
        .insertInto('audit_log')
        .values({
          seq: e.seq,
          at: e.at,
          org_id: e.orgId,
          actor: e.actor,
          action: e.action,
          subject: e.subject,
          data: JSON.stringify(e.data),
          prev_hash: e.prevHash,
          hash: e.hash,
        })
        .execute();
    },
    async readAfter(afterSeq, limit, orgId) {
      let q = db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq);
      if (orgId) q = q.where('org_id', '=', orgId);
      const rows = await q.orderBy('seq').limit(limit).execute();
      return rows.map(
        (r): AuditEntry => ({
          seq: Number(r.seq),
          at: iso(r.at)!,
          orgId: r.org_id,
          actor: r.actor,
          action: r.action,
          subject: r.subject,
          data: parseJson(r.data) as Record<string, unknown>,
          prevHash: r.prev_hash,
          hash: r.hash,
        }),
      );
    },
  };
}
