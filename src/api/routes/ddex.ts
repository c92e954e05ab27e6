// DDEX ERN in and out: POST a NewReleaseMessage to import it; GET a release as ERN 4.3.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { exportDdex, importDdex, MAX_DDEX_BYTES, readErnOffThread } from '../../catalog/ddex/index.ts';
import { callerOf } from '../auth.ts';
import { XML_BODY, xmlBody } from '../xml-body.ts';
import type { ApiContext } from '../context.ts';
import { IdParams, responses } from '../schemas/common.ts';
import { DdexExportQuery, DdexReport } from '../schemas/consent.ts';

export const ddexRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const deps = ctx.catalog;
  app.post(
    '/v1/ddex',
    {
      config: { roles: ['operator'], rawBody: XML_BODY },
      bodyLimit: MAX_DDEX_BYTES,
      schema: {
        tags: ['ddex'],
        summary: 'Import an ERN 3.4-3.8 (3.7 included) or 4.x NewReleaseMessage into the catalog',
        description: 'Send the XML as the body with Content-Type application/xml. DTDs and entity declarations are refused.',
        response: responses({ 200: DdexReport }),
      },
    },
    async (req) => importDdex(deps, callerOf(req), await readErnOffThread(ctx.pool, xmlBody(req))),
  );
  app.get(
    '/v1/releases/:id/ddex',
    {
      config: { roles: ['operator'] },
      schema: { tags: ['ddex'], summary: 'The release as an ERN 4.3 NewReleaseMessage, AI disclosure included', params: IdParams, querystring: DdexExportQuery },
    },
    async (req, reply) => {
      const q = req.query;
      const xml = await exportDdex(deps, callerOf(req), req.params.id, { sender: { dpid: q.senderDpid, name: q.senderName }, recipient: { dpid: q.recipientDpid, name: q.recipientName } });
      return reply.type('application/xml; charset=utf-8').send(xml);
    },
  );
};
