// Consent routes: set a rule, check one ISRC or a batch, read a track's history, the CAWG
// assertion, partner signal import, and the public TDMRep and ai.txt files crawlers read.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Role } from '../../auth/index.ts';
import { CatalogErrors } from '../../catalog/index.ts';
import * as consent from '../../consent/index.ts';
import { LedgerlineError } from '../../shared/index.ts';
import { callerOf, principalOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import * as S from '../schemas/consent.ts';
import { responses } from '../schemas/common.ts';

const ALL: readonly Role[] = ['operator', 'reviewer', 'rights_holder', 'artist', 'licensee'];
const DECIDERS: readonly Role[] = ['rights_holder', 'artist'];
const READERS: readonly Role[] = ['operator', 'reviewer', 'rights_holder', 'artist'];

/**
 * The service's public address for the documents it publishes (TDMRep, ODRL, CAWG): the one the
 * operator configures (LEDGERLINE_PUBLIC_URL), else the address this server is listening on.
 * Never the request's Host header, which any client sets to anything.
 */
function baseUrl(req: FastifyRequest): string {
  const configured = process.env.LEDGERLINE_PUBLIC_URL;
  if (configured) return configured.replace(/\/+$/, '');
  const host = req.socket.localAddress ?? '127.0.0.1';
  const port = req.socket.localPort ? `:${req.socket.localPort}` : '';
  return `${req.protocol}://${host.includes(':') ? `[${host}]` : host}${port}`;
}

export const consentRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const deps = ctx.consent;
  const tags = ['consent'];

  app.put(
    '/v1/consent',
    {
      config: { roles: DECIDERS },
      schema: {
        tags,
        summary: 'Set (a new version of) the consent for one use at the track, release, artist or rights-holder level',
        description: 'Only a rights holder of every track the rule reaches may set it; an artist only for voice_clone and style_imitation.',
        body: S.SetConsent,
        response: responses({ 201: S.Rule }),
      },
    },
    async (req, reply) => reply.code(201).send(await consent.setConsent(deps, principalOf(req), req.body)),
  );

  app.get(
    '/v1/consent/check',
    { config: { roles: ALL }, schema: { tags, summary: 'May this use happen? The answer and the rule that decided it', querystring: S.CheckQuery, response: responses({ 200: S.Decision }) } },
    async (req) => {
      const { isrc, ...q } = req.query;
      return consent.checkConsent(deps, callerOf(req).orgId, isrc, q);
    },
  );

  app.post(
    '/v1/consent/check',
    {
      config: { roles: ALL },
      bodyLimit: 2 * 1024 * 1024,
      schema: { tags, summary: 'Check up to 10,000 ISRCs under one request', body: S.BatchCheck, response: responses({ 200: S.BatchResult }) },
    },
    async (req, reply) => {
      const { isrcs, ...q } = req.body;
      const results = await consent.checkConsentBatch(deps, callerOf(req).orgId, isrcs, q);
      // Serialised here: the schema's per-item union makes the generic serialiser test every
      // item against both shapes, which costs more than the checks themselves.
      return reply.type('application/json; charset=utf-8').send(JSON.stringify({ results }));
    },
  );

  app.get(
    '/v1/consent/history',
    { config: { roles: READERS }, schema: { tags, summary: 'Every version of every rule that reaches a track, newest first', querystring: S.IsrcQuery, response: responses({ 200: S.History }) } },
    async (req) => consent.consentHistory(deps, callerOf(req).orgId, req.query.isrc),
  );

  app.get(
    '/v1/consent/cawg',
    { config: { roles: ALL }, schema: { tags, summary: 'The CAWG training-and-data-mining assertion for a track', querystring: S.IsrcQuery, response: responses({ 200: S.Cawg }) } },
    async (req) => consent.cawgAssertion(deps, callerOf(req).orgId, req.query.isrc, `${baseUrl(req)}/v1/consent/check?isrc=${encodeURIComponent(req.query.isrc)}`),
  );

  app.post(
    '/v1/consent/signals',
    {
      config: { roles: ['operator'] },
      bodyLimit: 5 * 1024 * 1024,
      schema: { tags, summary: "Import a partner's tdmrep.json or ai.txt as reservations (see the precedence in the docs)", body: S.SignalImport, response: responses({ 200: S.SignalReport }) },
    },
    async (req) => consent.importSignals(deps, callerOf(req), req.body),
  );

  const orgs = async () => (await ctx.store.repos.catalog.listOrganisations()).map((o) => ({ id: o.id, slug: o.slug }));

  app.get(
    '/.well-known/tdmrep.json',
    { config: { roles: 'public' }, schema: { tags, summary: 'W3C TDMRep rules for every track', response: responses({ 200: Type.Array(Type.Record(Type.String(), Type.Unknown())) }) } },
    async (req) => consent.tdmrepFile(deps, await orgs(), baseUrl(req)),
  );

  app.get(
    '/tdm/policies/:org/:file',
    { config: { roles: 'public' }, schema: { tags, summary: 'The ODRL policy (TDMRep profile) of one track', params: S.PolicyParams } },
    async (req, reply) => {
      const { org: slug, file } = req.params;
      const org = await ctx.store.repos.catalog.findOrganisation(slug);
      if (!org || org.slug !== slug) throw new LedgerlineError(CatalogErrors.ORG_NOT_FOUND, `no organisation "${slug}"`, { org: slug });
      const policy = await consent.tdmPolicy(deps, org, file.replace(/\.json$/, ''), baseUrl(req));
      return reply.type('application/ld+json').send(JSON.stringify(policy));
    },
  );

  app.get('/ai.txt', { config: { roles: 'public' }, schema: { tags, summary: 'ai.txt for AI crawlers' } }, async (_req, reply) =>
    reply.type('text/plain; charset=utf-8').send(await consent.aiTxt(deps, await orgs())),
  );
};
