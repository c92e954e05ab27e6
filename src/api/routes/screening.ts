// Upload screening: receive an upload (raw audio, metadata in the query), read its decisions,
// work the review queue, appeal, and say which uploader accounts are verified for an artist.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Role } from '../../auth/index.ts';
import * as screening from '../../screening/index.ts';
import { MAX_DDEX_BYTES, readErnOffThread } from '../../catalog/ddex/index.ts';
import { AUDIO_BODY, audioBody, MAX_AUDIO_BYTES } from '../audio-body.ts';
import { callerOf } from '../auth.ts';
import { XML_BODY, xmlBody } from '../xml-body.ts';
import type { ApiContext } from '../context.ts';
import { IdParams, NoContent, responses } from '../schemas/common.ts';
import * as S from '../schemas/screening.ts';

const OPERATOR: readonly Role[] = ['operator'];
const REVIEWERS: readonly Role[] = ['operator', 'reviewer'];

export const screeningRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const deps = ctx.screening;
  const tags = ['screening'];

  app.post(
    '/v1/uploads',
    {
      config: { roles: OPERATOR, rawBody: AUDIO_BODY },
      bodyLimit: MAX_AUDIO_BYTES,
      schema: {
        tags,
        summary: 'Receive an upload and queue its screening; 202 with its id',
        description: 'The audio file is the body (audio/* or application/octet-stream); the metadata is in the query. The same clientKey returns the same upload. With a webhook, the new upload comes back with `webhookSecret`, shown this once: every delivery carries x-ledgerline-timestamp and x-ledgerline-signature, v1= and the hex HMAC-SHA256 under that secret of the timestamp, "." and the body.',
        querystring: S.UploadQuery,
        response: responses({ 202: S.ReceivedUpload }),
      },
    },
    async (req, reply) => {
      const q = req.query;
      const upload = await screening.receiveUpload(deps, callerOf(req), audioBody(req), {
        uploader: q.uploader,
        title: q.title ?? null,
        artist: q.artist ?? null,
        clientKey: q.clientKey ?? null,
        containsAi: q.containsAi ?? null,
        imitates: q.imitatesArtist ? { artist: q.imitatesArtist, use: q.imitatesUse ?? 'voice_clone' } : null,
        isrc: q.isrc ?? null,
        webhookUrl: q.webhook ?? null,
      });
      return reply.code(202).send(upload);
    },
  );
  app.post(
    '/v1/uploads/ddex',
    {
      config: { roles: OPERATOR, rawBody: XML_BODY },
      bodyLimit: MAX_DDEX_BYTES,
      schema: {
        tags,
        summary: 'Announce the recordings of a DDEX ERN message; uploads naming their ISRC take title, artist and ContainsAI from it',
        description: 'Send the XML as the body (application/xml). An upload whose metadata contradicts the message is refused.',
        response: responses({ 200: Type.Object({ messageId: Type.String(), isrcs: Type.Array(Type.String()) }) }),
      },
    },
    async (req) => screening.announceDdex(deps, callerOf(req), await readErnOffThread(ctx.pool, xmlBody(req))),
  );
  app.get(
    '/v1/uploads',
    { config: { roles: REVIEWERS }, schema: { tags, summary: 'Uploads, newest first, by uploader, status or decision; `after` pages on', querystring: S.UploadsQuery, response: responses({ 200: Type.Array(S.Upload) }) } },
    async (req) => {
      const q = req.query;
      return screening.listUploads(deps, callerOf(req), { uploader: q.uploader, status: q.status as screening.UploadStatus | undefined, decision: q.decision as screening.ScreeningDecision | undefined, after: q.after }, q.limit);
    },
  );
  app.get(
    '/v1/uploads/:id',
    { config: { roles: REVIEWERS }, schema: { tags, summary: 'An upload, its status and every decision with its signals', params: IdParams, response: responses({ 200: S.UploadView }) } },
    async (req) => screening.getUpload(deps, callerOf(req), req.params.id),
  );
  app.post(
    '/v1/uploads/:id/rescreen',
    { config: { roles: OPERATOR }, schema: { tags, summary: 'Screen again under the policy in force: a new decision round; earlier ones stay', params: IdParams, response: responses({ 202: S.Upload }) } },
    async (req, reply) => reply.code(202).send(await screening.rescreen(deps, callerOf(req), req.params.id)),
  );
  app.post(
    '/v1/uploads/:id/reverse',
    { config: { roles: REVIEWERS }, schema: { tags, summary: 'Replace the standing decision, with a reason', params: IdParams, body: S.DecisionInput, response: responses({ 200: S.UploadView }) } },
    async (req) => screening.reviewDecision(deps, callerOf(req), req.params.id, 'reverse', req.body),
  );
  app.post(
    '/v1/uploads/:id/appeal',
    { config: { roles: OPERATOR }, schema: { tags, summary: "The uploader's appeal: back to the review queue", params: IdParams, body: S.AppealInput, response: responses({ 200: S.UploadView }) } },
    async (req) => screening.appeal(deps, callerOf(req), req.params.id, req.body.reason),
  );
  app.get(
    '/v1/review',
    { config: { roles: REVIEWERS }, schema: { tags, summary: 'The review queue, oldest first: items waiting for a person (open or claimed) unless ?state= names one', querystring: S.ReviewQuery, response: responses({ 200: Type.Array(S.ReviewEntry) }) } },
    async (req) => screening.listReview(deps, callerOf(req), (req.query.state as screening.ReviewItem['state'] | undefined) ?? null, req.query.limit),
  );
  app.post(
    '/v1/review/:id/claim',
    { config: { roles: REVIEWERS }, schema: { tags, summary: 'Claim an upload held for review', params: IdParams, response: responses({ 200: S.Review }) } },
    async (req) => screening.claimReview(deps, callerOf(req), req.params.id),
  );
  app.post(
    '/v1/review/:id/decide',
    { config: { roles: REVIEWERS }, schema: { tags, summary: 'Decide a claimed upload, with a reason', params: IdParams, body: S.DecisionInput, response: responses({ 200: S.UploadView }) } },
    async (req) => screening.reviewDecision(deps, callerOf(req), req.params.id, 'decide', req.body),
  );
  app.put(
    '/v1/uploaders/:uploader/artists/:artistId',
    { config: { roles: OPERATOR }, schema: { tags, summary: 'Verify an uploader account for an artist', params: S.VerifyParams, response: responses({ 204: NoContent }) } },
    async (req, reply) => {
      await screening.verifyUploader(deps, callerOf(req), req.params.uploader, req.params.artistId);
      return reply.code(204).send(null);
    },
  );
};
