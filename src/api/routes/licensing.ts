// Licensing routes: licensees, licenses, dataset requests answered with signed manifests,
// inclusion proofs, training runs, revocation notices and the public signing keys.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Role } from '../../auth/index.ts';
import * as licensing from '../../licensing/index.ts';
import { callerOf, principalOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { IdParams, responses } from '../schemas/common.ts';
import * as S from '../schemas/consent.ts';

const ALL: readonly Role[] = ['operator', 'reviewer', 'rights_holder', 'artist', 'licensee'];
const OPERATOR: readonly Role[] = ['operator'];
const LICENSEE: readonly Role[] = ['operator', 'licensee'];

export const licensingRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const deps = ctx.licensing;
  const tags = ['licensing'];

  app.post(
    '/v1/licensees',
    { config: { roles: OPERATOR }, schema: { tags, summary: 'Register a licensee (an AI developer)', body: S.LicenseeCreate, response: responses({ 201: S.Licensee }) } },
    async (req, reply) => reply.code(201).send(await licensing.createLicensee(deps, callerOf(req), req.body)),
  );
  app.get(
    '/v1/licensees',
    { config: { roles: ['operator', 'reviewer'] }, schema: { tags, summary: 'Licensees of the organisation', response: responses({ 200: Type.Array(S.Licensee) }) } },
    async (req) => licensing.listLicensees(deps, callerOf(req).orgId),
  );
  app.post(
    '/v1/licenses',
    { config: { roles: OPERATOR }, schema: { tags, summary: 'Grant a license: uses, territories, period, fee', body: S.LicenseCreate, response: responses({ 201: S.License }) } },
    async (req, reply) => reply.code(201).send(await licensing.createLicense(deps, callerOf(req), req.body)),
  );
  app.get(
    '/v1/licenses',
    { config: { roles: LICENSEE }, schema: { tags, summary: 'Licenses (a licensee key sees its own)', response: responses({ 200: Type.Array(S.License) }) } },
    async (req) => licensing.listLicenses(deps, principalOf(req)),
  );
  app.post(
    '/v1/licenses/:id/datasets',
    {
      config: { roles: LICENSEE },
      schema: {
        tags,
        summary: 'Request a dataset under a license: a signed manifest of exactly the consented recordings',
        params: IdParams,
        body: S.DatasetRequest,
        response: responses({ 201: S.DatasetAnswer }),
      },
    },
    async (req, reply) => reply.code(201).send(await licensing.requestDataset(deps, principalOf(req), req.params.id, req.body)),
  );
  app.get(
    '/v1/manifests/:id',
    { config: { roles: LICENSEE }, schema: { tags, summary: 'A manifest with its signed head', params: IdParams, response: responses({ 200: S.Manifest }) } },
    async (req) => licensing.getManifest(deps, principalOf(req), req.params.id),
  );
  app.get(
    '/v1/manifests/:id/proof',
    {
      config: { roles: ALL },
      schema: { tags, summary: 'Proof that an ISRC is, or is not, in a manifest; verify offline with the public key', params: IdParams, querystring: S.IsrcQuery, response: responses({ 200: S.Proof }) },
    },
    async (req) => licensing.proveInManifest(deps, principalOf(req), req.params.id, req.query.isrc),
  );
  app.post(
    '/v1/manifests/:id/runs',
    { config: { roles: ['licensee'] }, schema: { tags, summary: 'Register a training run against a manifest', params: IdParams, body: S.RunCreate, response: responses({ 201: S.Run }) } },
    async (req, reply) => reply.code(201).send(await licensing.registerRun(deps, principalOf(req), req.params.id, req.body)),
  );
  app.get(
    '/v1/revocations',
    { config: { roles: LICENSEE }, schema: { tags, summary: 'Revocation notices: tracks a manifest delivered whose consent was withdrawn', querystring: S.NoticeQuery, response: responses({ 200: Type.Array(S.Notice) }) } },
    async (req) => licensing.listRevocations(deps, principalOf(req), req.query.after, req.query.limit),
  );
  app.get(
    '/v1/signing-keys',
    { config: { roles: 'public' }, schema: { tags, summary: "The server's Ed25519 public keys that sign manifests", response: responses({ 200: Type.Array(S.PublicKey) }) } },
    async () => licensing.publicKeys(deps),
  );
};
