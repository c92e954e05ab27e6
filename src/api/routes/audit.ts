// The audit log of the caller's organisation, and a check of the whole chain.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { verifyAudit } from '../../audit/index.ts';
import { callerOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { AuditEntry, AuditQuery, AuditVerification } from '../schemas/audit.ts';
import { responses } from '../schemas/common.ts';

const OPERATOR = ['operator'] as const;

export const auditRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/v1/audit',
    {
      config: { roles: OPERATOR },
      schema: { tags: ['audit'], summary: "This organisation's audit entries after a sequence number", querystring: AuditQuery, response: responses({ 200: Type.Array(AuditEntry) }) },
    },
    async (req) => ctx.store.repos.audit.readAfter(req.query.afterSeq, req.query.limit, callerOf(req).orgId),
  );
  app.get(
    '/v1/audit/verify',
    {
      config: { roles: OPERATOR },
      schema: { tags: ['audit'], summary: "Verify the hash chain of the whole log; the counts and head are the caller's own entries", response: responses({ 200: AuditVerification }) },
    },
    async (req) => {
      const v = await verifyAudit(ctx.store.repos.audit, callerOf(req).orgId);
      if (v.ok || !v.firstBroken) return v;
      // The break may sit in another organisation's entry: say where only when it is the caller's own.
      const [entry] = await ctx.store.repos.audit.readAfter(v.firstBroken.seq - 1, 1, callerOf(req).orgId);
      const own = entry?.seq === v.firstBroken.seq;
      return own ? v : { ...v, firstBroken: { seq: v.firstBroken.seq, reason: 'elsewhere', message: 'the chain is broken in an entry of another organisation' } };
    },
  );
};
