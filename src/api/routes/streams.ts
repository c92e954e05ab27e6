// Streams and listeners' privacy: a partner's stream events in (NDJSON or CSV), scans for
// artificial streaming and their review, listeners' rights, and noised audience releases.
// Listener identifiers only ever arrive in request bodies (never in a URL, which logs keep) and
// are hashed before anything else happens. No route gives a licensee anything about listeners.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { eraseListener, exportListener, releaseAudience, setListenerConsent } from '../../privacy/index.ts';
import { ingestStreams, listFindings, reviewFinding, scanStreams } from '../../streams/index.ts';
import { callerOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { IdParams, responses } from '../schemas/common.ts';
import * as S from '../schemas/streams.ts';
import { MAX_STREAM_BYTES, STREAM_BODY, streamBody } from '../stream-body.ts';

export const streamRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const tags = ['streams'];
  app.post(
    '/v1/streams',
    {
      config: { roles: ['operator'], rawBody: STREAM_BODY },
      bodyLimit: MAX_STREAM_BYTES,
      schema: {
        tags,
        summary: 'Take a batch of up to 50,000 stream events (NDJSON or CSV)',
        description:
          'Fields: eventId (idempotency), listener, isrc, startedAt, msPlayed, country, service, client, context. Any other field refuses the batch, naming it. listener and client are replaced by keyed pseudonyms before anything is stored. Lines that cannot be taken are listed by number; the rest are kept.',
        response: responses({ 200: S.IngestReport }),
      },
    },
    async (req) => {
      const { text, format } = streamBody(req);
      return ingestStreams(await ctx.streams(), callerOf(req), text, format);
    },
  );
  app.post(
    '/v1/streams/scan',
    {
      config: { roles: ['operator'] },
      schema: { tags, summary: 'Scan a period for artificial streaming; findings are stored for review', body: S.ScanBody, response: responses({ 200: S.ScanReport }) },
    },
    async (req) => scanStreams(await ctx.streams(), callerOf(req), req.body),
  );
  app.get(
    '/v1/streams/findings',
    {
      config: { roles: ['operator', 'reviewer'] },
      schema: { tags, summary: 'Artificial-streaming findings, newest first', querystring: S.FindingsQuery, response: responses({ 200: S.Findings }) },
    },
    async (req) => listFindings(await ctx.streams(), callerOf(req), { status: req.query.status, limit: req.query.limit ?? 100 }),
  );
  app.post(
    '/v1/streams/findings/:id/review',
    {
      config: { roles: ['operator', 'reviewer'] },
      schema: { tags, summary: 'Clear a finding (its streams count again and what they had withheld is released) or confirm it', params: IdParams, body: S.ReviewBody, response: responses({ 200: S.Reviewed }) },
    },
    async (req) => reviewFinding(await ctx.streams(), callerOf(req), req.params.id, req.body.decision, req.body.note ?? null),
  );
  app.post(
    '/v1/privacy/export',
    {
      config: { roles: ['operator'] },
      schema: { tags: ['privacy'], summary: "Everything held about a listener (GDPR art. 15 and 20), found by hashing the identifier they present", body: S.ListenerBody, response: responses({ 200: S.ListenerExport }) },
    },
    async (req) => exportListener(await ctx.streams(), callerOf(req), req.body.listener),
  );
  app.post(
    '/v1/privacy/erase',
    {
      config: { roles: ['operator'] },
      schema: { tags: ['privacy'], summary: "Erase a listener's events and consents and unlink them from findings (GDPR art. 17)", body: S.ListenerBody, response: responses({ 200: S.ErasureReport }) },
    },
    async (req) => eraseListener(await ctx.streams(), callerOf(req), req.body.listener),
  );
  app.post(
    '/v1/privacy/consents',
    {
      config: { roles: ['operator'] },
      schema: { tags: ['privacy'], summary: "Record a listener's consent to a purpose (personalisation, analytics, third_party_sharing, ai_training); none recorded means not allowed", body: S.ConsentBody, response: responses({ 200: S.ConsentAnswer }) },
    },
    async (req) => setListenerConsent(await ctx.streams(), callerOf(req), req.body.listener, req.body.purpose, req.body.allowed),
  );
  app.post(
    '/v1/privacy/audience',
    {
      config: { roles: ['operator'] },
      schema: {
        tags: ['privacy'],
        summary: 'Listeners per track and country, released with ε-differential privacy (discrete Laplace), charged to the recipient\'s monthly budget',
        body: S.AudienceBody,
        response: responses({ 200: S.AudienceRelease }),
      },
    },
    async (req) => releaseAudience(await ctx.streams(), callerOf(req), req.body),
  );
};
