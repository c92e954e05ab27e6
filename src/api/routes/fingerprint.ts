// POST /v1/match: identify uploaded audio against the caller's catalog; POST /v1/tracks/:id/audio:
// give a catalog track its recording while the service runs.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { attachAudio, matchBytes } from '../../fingerprint/index.ts';
import { AUDIO_BODY, audioBody, MAX_AUDIO_BYTES } from '../audio-body.ts';
import { callerOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { IdParams, responses } from '../schemas/common.ts';
import { AttachedAudio, MatchQuery, MatchReport } from '../schemas/fingerprint.ts';

export const fingerprintRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.post(
    '/v1/match',
    {
      config: { roles: ['operator', 'reviewer'], rawBody: AUDIO_BODY },
      bodyLimit: MAX_AUDIO_BYTES,
      schema: {
        tags: ['fingerprint'],
        summary: "Find the caller's catalog tracks in uploaded audio (also sped up, pitch-shifted, re-encoded, noisy or cut)",
        description: 'Send the audio file as the body with Content-Type audio/* or application/octet-stream.',
        querystring: MatchQuery,
        response: responses({ 200: MatchReport }),
      },
    },
    async (req) => {
      return matchBytes(await ctx.fingerprints(), audioBody(req), req.query.name ?? 'upload', callerOf(req).orgId);
    },
  );
  app.post(
    '/v1/tracks/:id/audio',
    {
      config: { roles: ['operator'], rawBody: AUDIO_BODY },
      bodyLimit: MAX_AUDIO_BYTES,
      schema: {
        tags: ['fingerprint'],
        summary: 'Give a catalog track its audio: content hash, duration and fingerprint',
        description: 'Send the audio file as the body with Content-Type audio/* or application/octet-stream. A track has one recording: 409 when it has audio already or the audio is another track\'s.',
        params: IdParams,
        response: responses({ 201: AttachedAudio }),
      },
    },
    async (req, reply) => {
      reply.code(201);
      return attachAudio(await ctx.fingerprints(), callerOf(req), req.params.id, { bytes: audioBody(req) });
    },
  );
};
