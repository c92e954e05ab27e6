// Attribution: a licensee submits each generated output it publishes (the audio as the body,
// its training run in the query) and reads its attribution when the job is done; rights holders
// and artists see every output that draws on their tracks.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getOutput, submitOutput, usesOfTrack } from '../../attribution/index.ts';
import { AUDIO_BODY, audioBody, MAX_AUDIO_BYTES } from '../audio-body.ts';
import { principalOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { IdParams, responses } from '../schemas/common.ts';
import * as S from '../schemas/attribution.ts';

/** The caller, with the licensee its key speaks for when it is a licensee key. */
function callerWithLicensee(req: Parameters<typeof principalOf>[0]) {
  const p = principalOf(req);
  return { ...p, licenseeId: p.role === 'licensee' ? p.subjectId : null };
}

const shown = <T extends { orgId?: string; createdBy?: string }>(o: T) => {
  const { orgId: _org, createdBy: _by, ...rest } = o;
  return rest;
};

export const attributionRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const tags = ['attribution'];
  app.post(
    '/v1/outputs',
    {
      config: { roles: ['licensee', 'operator'], rawBody: AUDIO_BODY },
      bodyLimit: MAX_AUDIO_BYTES,
      schema: {
        tags,
        summary: 'Submit a generated output and queue its attribution; 202 with the output',
        description:
          'The audio file is the body (audio/* or application/octet-stream); the training run, title and external id are in the query. A licensee names its run; only the tracks of the run\'s manifest receive shares. The same audio under the same run returns the same output.',
        querystring: S.OutputQuery,
        response: responses({ 202: S.Output }),
      },
    },
    async (req, reply) => {
      const output = await submitOutput(await ctx.attribution(), callerWithLicensee(req), audioBody(req), { runId: req.query.run ?? null, title: req.query.title, externalId: req.query.externalId ?? null });
      return reply.code(202).send(shown(output));
    },
  );
  app.get(
    '/v1/outputs/:id',
    {
      config: { roles: ['licensee', 'operator', 'reviewer'] },
      schema: { tags, summary: 'An output: its status and latest attribution (shares per layer with evidence, unlicensed findings)', params: IdParams, response: responses({ 200: S.OutputWithAttribution }) },
    },
    async (req) => shown(await getOutput(await ctx.attribution(), callerWithLicensee(req), req.params.id)),
  );
  app.get(
    '/v1/attributions',
    {
      config: { roles: ['operator', 'reviewer', 'rights_holder', 'artist'] },
      schema: {
        tags,
        summary: 'Every output whose latest attribution draws on a track: shares, and unlicensed findings',
        description: 'A rights holder sees the tracks it holds a split of; an artist, its own tracks.',
        querystring: S.AttributionsQuery,
        response: responses({ 200: S.TrackUses }),
      },
    },
    async (req) => usesOfTrack(await ctx.attribution(), principalOf(req), req.query.track, req.query.limit ?? 100),
  );
};
