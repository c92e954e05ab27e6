// API keys of the caller's organisation: operators create, list and revoke them.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createApiKey, publicKeyView, revokeApiKey } from '../../auth/index.ts';
import { callerOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { ApiKey, ApiKeyCreate, CreatedApiKey } from '../schemas/auth.ts';
import { IdParams, NoContent, responses } from '../schemas/common.ts';

const OPERATOR = ['operator'] as const;

export const authRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/v1/keys',
    { config: { roles: OPERATOR }, schema: { tags: ['keys'], summary: 'List API keys (never their secrets)', response: responses({ 200: Type.Array(ApiKey) }) } },
    async (req) => (await ctx.store.repos.auth.listKeys(callerOf(req).orgId)).map(publicKeyView),
  );
  app.post(
    '/v1/keys',
    {
      config: { roles: OPERATOR },
      schema: { tags: ['keys'], summary: 'Create an API key; the key is in this response only', body: ApiKeyCreate, response: responses({ 201: CreatedApiKey }) },
    },
    async (req, reply) => {
      const c = callerOf(req);
      const created = await createApiKey(ctx.store, ctx.clock, c.actor, { orgId: c.orgId, ...req.body });
      return reply.code(201).send(created);
    },
  );
  app.delete(
    '/v1/keys/:id',
    { config: { roles: OPERATOR }, schema: { tags: ['keys'], summary: 'Revoke an API key', params: IdParams, response: responses({ 204: NoContent }) } },
    async (req, reply) => {
      const c = callerOf(req);
      await revokeApiKey(ctx.store, ctx.clock, c.actor, c.orgId, req.params.id);
      ctx.keys.forget(req.params.id);
      return reply.code(204).send(null);
    },
  );
};
