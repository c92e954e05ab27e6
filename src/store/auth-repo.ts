// AuthStore over Kysely.

import type { Kysely, Selectable } from 'kysely';
import type { ApiKeyRecord, AuthStore, Role } from '../auth/index.ts';
import type { ApiKeysTable, Database } from './schema.ts';
import { iso, isUuid } from './rows.ts';

const toKey = (r: Selectable<ApiKeysTable>): ApiKeyRecord => ({
  id: r.id,
  orgId: r.org_id,
  role: r.role as Role,
  name: r.name,
  subjectId: r.subject_id,
  issuedBy: r.issued_by,
  secretHash: r.secret_hash,
  createdAt: iso(r.created_at)!,
  revokedAt: iso(r.revoked_at),
});

export function authRepo(db: Kysely<Database>): AuthStore {
  return {
    async subjectExists(orgId, role, subjectId) {
      if (!isUuid(subjectId)) return false;
      const table = ({ rights_holder: 'rights_holders', artist: 'artists', licensee: 'licensees' } as const)[role];
      const row = await db.selectFrom(table).select('id').where('org_id', '=', orgId).where('id', '=', subjectId).executeTakeFirst();
      return row !== undefined;
    },
    async insertKey(k) {
      const r = await db
        .insertInto('api_keys')
        .values({ id: k.id, org_id: k.orgId, role: k.role, name: k.name, subject_id: k.subjectId, issued_by: k.issuedBy, secret_hash: k.secretHash })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toKey(r);
    },
    async getKey(id) {
      const r = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toKey(r) : null;
    },
    async listKeys(orgId) {
      return (await db.selectFrom('api_keys').selectAll().where('org_id', '=', orgId).orderBy('created_at').execute()).map(toKey);
    },
    async revokeKey(orgId, id, at) {
      const r = await db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
  };
}
