// Liveness and the API description.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ApiContext } from '../context.ts';

export const systemRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.get(
    '/health',
    {
      config: { roles: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness and database reachability',
        response: { 200: Type.Object({ status: Type.Literal('ok'), engine: Type.String() }) },
      },
    },
    async () => {
      await ctx.store.repos.catalog.getOrganisation('00000000-0000-0000-0000-000000000000');
      return { status: 'ok' as const, engine: ctx.store.engine };
    },
  );
  app.get('/openapi.json', { config: { roles: 'public' }, schema: { hide: true } }, async () => app.swagger());
};
