// Catalog routes: the caller's organisation, artists, rights holders, releases, tracks and
// their splits. Each handler parses, calls one catalog function and returns.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import type { Role } from '../../auth/index.ts';
import * as catalog from '../../catalog/index.ts';
import { ppmToPercent, type SplitShare, type TrackSplits } from '../../catalog/index.ts';
import type { Caller } from '../../shared/index.ts';
import { callerOf } from '../auth.ts';
import { catalogDeps, type ApiContext } from '../context.ts';
import * as S from '../schemas/catalog.ts';
import { IdParams, NoContent, PageQuery, responses } from '../schemas/common.ts';

const ALL: readonly Role[] = ['operator', 'reviewer', 'rights_holder', 'artist', 'licensee'];
const OPERATOR: readonly Role[] = ['operator'];
const RIGHTS_READERS: readonly Role[] = ['operator', 'reviewer', 'rights_holder'];
const SPLIT_READERS: readonly Role[] = ['operator', 'reviewer', 'rights_holder', 'artist'];

interface Crud<E, C, P> {
  path: string;
  tag: string;
  entity: TObject;
  create: TObject;
  patch: TObject;
  query?: TSchema;
  readRoles: readonly Role[];
  list(c: Caller, q: { limit: number; offset: number }): Promise<E[]>;
  add(c: Caller, input: C): Promise<E>;
  get(c: Caller, id: string): Promise<E>;
  update(c: Caller, id: string, patch: P): Promise<E>;
  remove(c: Caller, id: string): Promise<void>;
}

/** The five routes every catalog entity has: list, create, read, patch, delete. */
function crud<E, C, P>(app: Parameters<FastifyPluginAsyncTypebox>[0], d: Crud<E, C, P>) {
  const tags = [d.tag];
  app.get(
    d.path,
    { config: { roles: d.readRoles }, schema: { tags, summary: `List ${d.tag}`, querystring: d.query ?? PageQuery, response: responses({ 200: Type.Array(d.entity) }) } },
    async (req) => d.list(callerOf(req), req.query as { limit: number; offset: number }),
  );
  app.post(
    d.path,
    { config: { roles: OPERATOR }, schema: { tags, summary: `Create in ${d.tag}`, body: d.create, response: responses({ 201: d.entity }) } },
    async (req, reply) => reply.code(201).send((await d.add(callerOf(req), req.body as C)) as Record<string, unknown>),
  );
  app.get(
    `${d.path}/:id`,
    { config: { roles: d.readRoles }, schema: { tags, summary: `Read one of ${d.tag}`, params: IdParams, response: responses({ 200: d.entity }) } },
    async (req) => d.get(callerOf(req), (req.params as { id: string }).id),
  );
  app.patch(
    `${d.path}/:id`,
    { config: { roles: OPERATOR }, schema: { tags, summary: `Change one of ${d.tag}`, params: IdParams, body: d.patch, response: responses({ 200: d.entity }) } },
    async (req) => d.update(callerOf(req), (req.params as { id: string }).id, req.body as P),
  );
  app.delete(
    `${d.path}/:id`,
    { config: { roles: OPERATOR }, schema: { tags, summary: `Delete one of ${d.tag}`, params: IdParams, response: responses({ 204: NoContent }) } },
    async (req, reply) => {
      await d.remove(callerOf(req), (req.params as { id: string }).id);
      return reply.code(204).send(null);
    },
  );
}

const shareView = (s: SplitShare) => ({ rightsHolderId: s.rightsHolderId, role: s.role, percent: ppmToPercent(s.sharePpm) });
const splitsView = (s: TrackSplits) => ({ trackId: s.trackId, master: s.master.map(shareView), publishing: s.publishing.map(shareView) });

export const catalogRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const deps = catalogDeps(ctx);

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

  crud(app, {
    path: '/v1/artists',
    tag: 'artists',
    entity: S.Artist,
    create: S.ArtistCreate,
    patch: S.ArtistPatch,
    readRoles: ALL,
    list: (c, q) => catalog.listArtists(deps, c, q),
    add: (c, i: catalog.ArtistInput) => catalog.createArtist(deps, c, i),
    get: (c, id) => catalog.getArtist(deps, c, id),
    update: (c, id, p: Partial<catalog.ArtistInput>) => catalog.updateArtist(deps, c, id, p),
    remove: (c, id) => catalog.deleteArtist(deps, c, id),
  });

  crud(app, {
    path: '/v1/rights-holders',
    tag: 'rights holders',
    entity: S.RightsHolder,
    create: S.RightsHolderCreate,
    patch: S.RightsHolderPatch,
    readRoles: RIGHTS_READERS,
    list: (c, q) => catalog.listRightsHolders(deps, c, q),
    add: (c, i: catalog.RightsHolderInput) => catalog.createRightsHolder(deps, c, i),
    get: (c, id) => catalog.getRightsHolder(deps, c, id),
    update: (c, id, p: Partial<catalog.RightsHolderInput>) => catalog.updateRightsHolder(deps, c, id, p),
    remove: (c, id) => catalog.deleteRightsHolder(deps, c, id),
  });

  crud(app, {
    path: '/v1/releases',
    tag: 'releases',
    entity: S.Release,
    create: S.ReleaseCreate,
    patch: S.ReleasePatch,
    readRoles: ALL,
    list: (c, q) => catalog.listReleases(deps, c, q),
    add: (c, i: catalog.ReleaseInput) => catalog.createRelease(deps, c, i),
    get: (c, id) => catalog.getRelease(deps, c, id),
    update: (c, id, p: Partial<catalog.ReleaseInput>) => catalog.updateRelease(deps, c, id, p),
    remove: (c, id) => catalog.deleteRelease(deps, c, id),
  });

  crud(app, {
    path: '/v1/tracks',
    tag: 'tracks',
    entity: S.Track,
    create: S.TrackCreate,
    patch: S.TrackPatch,
    query: S.TrackQuery,
    readRoles: ALL,
    list: (c, q) => catalog.listTracks(deps, c, q),
    add: (c, i: catalog.TrackInput) => catalog.createTrack(deps, c, i),
    get: (c, id) => catalog.getTrack(deps, c, id),
    update: (c, id, p: Partial<catalog.TrackInput>) => catalog.updateTrack(deps, c, id, p),
    remove: (c, id) => catalog.deleteTrack(deps, c, id),
  });

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
