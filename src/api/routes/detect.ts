// POST /v1/detect: is the uploaded audio AI-generated? Judged on the worker pool.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { runDetect, toReport } from '../../detect/index.ts';
import { AUDIO_BODY, audioBody, MAX_AUDIO_BYTES } from '../audio-body.ts';
import type { ApiContext } from '../context.ts';
import { responses } from '../schemas/common.ts';
import { DetectQuery, DetectReport } from '../schemas/detect.ts';

export const detectRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.post(
    '/v1/detect',
    {
      config: { roles: ['operator', 'reviewer'], rawBody: AUDIO_BODY },
      bodyLimit: MAX_AUDIO_BYTES,
      schema: {
        tags: ['detect'],
        summary: 'Judge whether uploaded audio is AI-generated, with readable evidence',
        description: 'Send the audio file as the body with Content-Type audio/* or application/octet-stream.',
        querystring: DetectQuery,
        response: responses({ 200: DetectReport }),
      },
    },
    async (req) => {
      const { name, plot, threshold } = req.query;
      const d = await runDetect(ctx.pool, { bytes: audioBody(req), plot, threshold });
      const svg = Object.values(d.plots)[0];
      return { ...toReport(name ?? 'upload', d), ...(plot && svg ? { plot: svg } : {}) };
    },
  );
};
