// Catalog routes: the caller's organisation, artists, rights holders, releases, tracks and
// their splits. Each handler parses, calls one catalog function and returns.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import type { Role } from '../../auth/index.ts';
import * as catalog from '../../catalog/index.ts';
import { ppmToPercent, type SplitShare, type TrackSplits } from '../../catalog/index.ts';
import { callerOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import * as S from '../schemas/catalog.ts';
import { IdParams, NoContent, PageQuery, responses } from '../schemas/common.ts';

const ALL: readonly Role[] = ['operator', 'reviewer', 'rights_holder', 'artist', 'licensee'];
const OPERATOR: readonly Role[] = ['operator'];
const RIGHTS_READERS: readonly Role[] = ['operator', 'reviewer', 'rights_holder'];
const SPLIT_READERS: readonly Role[] = ['operator', 'reviewer', 'rights_holder', 'artist'];

interface Crud<E, C> {
  path: string;
  tag: string;
  /** One of them, for the summaries ("an artist"). */
  one: string;
  entity: TObject;
  create: TObject;
  patch: TObject;
  query?: TSchema;
  readRoles: readonly Role[];
  ops: catalog.EntityOps<E, C>;
}

/** The five routes every catalog entity has: list, create, read, patch, delete. */
function crud<E, C>(app: Parameters<FastifyPluginAsyncTypebox>[0], deps: catalog.CatalogDeps, d: Crud<E, C>) {
  const tags = [d.tag];
  app.get(
    d.path,
    { config: { roles: d.readRoles }, schema: { tags, summary: `List the ${d.tag}`, querystring: d.query ?? PageQuery, response: responses({ 200: Type.Array(d.entity) }) } },
    async (req) => d.ops.list(deps, callerOf(req), req.query as { limit: number; offset: number }),
  );
  app.post(
    d.path,
    { config: { roles: OPERATOR }, schema: { tags, summary: `Create ${d.one}`, body: d.create, response: responses({ 201: d.entity }) } },
    async (req, reply) => reply.code(201).send((await d.ops.create(deps, callerOf(req), req.body as C)) as Record<string, unknown>),
  );
  app.get(
    `${d.path}/:id`,
    { config: { roles: d.readRoles }, schema: { tags, summary: `Read ${d.one}`, params: IdParams, response: responses({ 200: d.entity }) } },
    async (req) => d.ops.get(deps, callerOf(req), (req.params as { id: string }).id),
  );
  app.patch(
    `${d.path}/:id`,
    { config: { roles: OPERATOR }, schema: { tags, summary: `Change ${d.one}`, params: IdParams, body: d.patch, response: responses({ 200: d.entity }) } },
    async (req) => d.ops.update(deps, callerOf(req), (req.params as { id: string }).id, req.body as Partial<C>),
  );
  app.delete(
    `${d.path}/:id`,
    { config: { roles: OPERATOR }, schema: { tags, summary: `Delete ${d.one}`, params: IdParams, response: responses({ 204: NoContent }) } },
    async (req, reply) => {
      await d.ops.remove(deps, callerOf(req), (req.params as { id: string }).id);
      return reply.code(204).send(null);
    },
  );
}

const shareView = (s: SplitShare) => ({ rightsHolderId: s.rightsHolderId, role: s.role, percent: ppmToPercent(s.sharePpm) });
const splitsView = (s: TrackSplits) => ({ trackId: s.trackId, master: s.master.map(shareView), publishing: s.publishing.map(shareView) });

export const catalogRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const deps = ctx.catalog;

  app.get(
    '/v1/org',
    { config: { roles: ALL }, schema: { tags: ['organisation'], summary: "The caller's organisation", response: responses({ 200: S.Organisation }) } },
    async (req) => catalog.resolveOrganisation(deps, callerOf(req).orgId),
  );
  app.patch(
    '/v1/org',
    {
      config: { roles: OPERATOR },
      schema: { tags: ['organisation'], summary: "Rename the caller's organisation", body: S.OrganisationPatch, response: responses({ 200: S.Organisation }) },
    },
    async (req) => catalog.renameOrganisation(deps, callerOf(req), req.body.name),
  );

  crud(app, deps, {
    path: '/v1/artists',
    tag: 'artists',
    one: 'an artist',
    entity: S.Artist,
    create: S.ArtistCreate,
    patch: S.ArtistPatch,
    readRoles: ALL,
    ops: catalog.artistOps,
  });

  crud(app, deps, {
    path: '/v1/rights-holders',
    tag: 'rights holders',
    one: 'a rights holder',
    entity: S.RightsHolder,
    create: S.RightsHolderCreate,
    patch: S.RightsHolderPatch,
    readRoles: RIGHTS_READERS,
    ops: catalog.rightsHolderOps,
  });

  crud(app, deps, {
    path: '/v1/releases',
    tag: 'releases',
    one: 'a release',
    entity: S.Release,
    create: S.ReleaseCreate,
    patch: S.ReleasePatch,
    readRoles: ALL,
    ops: catalog.releaseOps,
  });

  crud(app, deps, {
    path: '/v1/tracks',
    tag: 'tracks',
    one: 'a track',
    entity: S.Track,
    create: S.TrackCreate,
    patch: S.TrackPatch,
    query: S.TrackQuery,
    readRoles: ALL,
    ops: catalog.trackOps,
  });

  app.get(
    '/v1/releases/:id/deals',
    { config: { roles: RIGHTS_READERS }, schema: { tags: ['releases'], summary: 'The DDEX deals of a release: territories, validity, use types', params: IdParams, response: responses({ 200: Type.Array(S.Deal) }) } },
    async (req) => catalog.getDeals(deps, callerOf(req), req.params.id),
  );

  app.get(
    '/v1/tracks/:id/splits',
    { config: { roles: SPLIT_READERS }, schema: { tags: ['splits'], summary: 'Master and publishing splits of a track', params: IdParams, response: responses({ 200: S.Splits }) } },
    async (req) => splitsView(await catalog.getSplits(deps, callerOf(req), req.params.id)),
  );
  app.put(
    '/v1/tracks/:id/splits/:kind',
    {
      config: { roles: OPERATOR },
      schema: {
        tags: ['splits'],
        summary: 'Replace the master or publishing split; shares must sum to exactly 100% (an empty list clears it)',
        params: S.SplitParams,
        body: S.SplitInput,
        response: responses({ 200: S.Splits }),
      },
    },
    async (req) => splitsView(await catalog.setSplit(deps, callerOf(req), req.params.id, req.params.kind, req.body.shares)),
  );
};
