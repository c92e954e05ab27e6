// POST /v1/match: identify uploaded audio against the caller's catalog.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { matchBytes } from '../../fingerprint/index.ts';
import { callerOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { responses } from '../schemas/common.ts';
import { MatchQuery, MatchReport } from '../schemas/fingerprint.ts';

/** Largest accepted upload: a 30-minute WAV at 48 kHz stereo 24-bit is about 520 MB; most uploads are compressed. */
export const MAX_AUDIO_BYTES = 600 * 1024 * 1024;

export const fingerprintRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  // Audio arrives as the raw body (audio/* or application/octet-stream), buffered up to the limit.
  for (const type of ['application/octet-stream', /^audio\/.+/]) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_AUDIO_BYTES }, (_req, body, done) => done(null, body));
  }
  app.post(
    '/v1/match',
    {
      config: { roles: ['operator', 'reviewer'] },
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
      const body = req.body as Buffer;
      return matchBytes(await ctx.fingerprints(), new Uint8Array(body.buffer, body.byteOffset, body.byteLength), req.query.name ?? 'upload', callerOf(req).orgId);
    },
  );
};
