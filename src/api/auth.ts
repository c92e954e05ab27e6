// Authentication and authorisation for every route, checked before the body is read. A route declares `config.roles`: the
// roles that may call it, or 'public'. A route that declares nothing fails at start-up, so no
// route can be forgotten.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuthErrors, type KeyVerifier, type Principal, type Role } from '../auth/index.ts';
import { LedgerlineError, type Caller } from '../shared/index.ts';
import type { RawBody } from './raw-body.ts';

export type RouteRoles = readonly Role[] | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    roles?: RouteRoles;
    /** The route takes a raw (non-JSON) body: documented as binary, and named in a 415. */
    rawBody?: RawBody;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface RouteEntry {
  method: string;
  url: string;
  roles: RouteRoles;
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1] : h;
}

/** The caller of an authenticated route; throws if the route is public. */
export function callerOf(req: FastifyRequest): Caller {
  const p = req.principal;
  if (!p) throw new Error('callerOf() on a public route');
  return { orgId: p.orgId, actor: `key:${p.keyId}` };
}

/** The caller with its role and the rights holder, artist or licensee its key speaks for. */
export function principalOf(req: FastifyRequest): Caller & { role: Role; subjectId: string | null; keyIssuedBy: string | null } {
  const p = req.principal;
  if (!p) throw new Error('principalOf() on a public route');
  return { orgId: p.orgId, actor: `key:${p.keyId}`, role: p.role, subjectId: p.subjectId, keyIssuedBy: p.issuedBy };
}

/** The browsable API reference: its pages and assets are public and are served by a plugin that cannot declare roles. */
export const DOCS_PREFIX = '/docs';

export function installAuth(app: FastifyInstance, keys: KeyVerifier): RouteEntry[] {
  const table: RouteEntry[] = [];
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route) => {
    if (route.url === DOCS_PREFIX || route.url.startsWith(`${DOCS_PREFIX}/`)) {
      route.config = { ...route.config, roles: 'public' };
      return;
    }
    const roles = route.config?.roles;
    if (!roles) throw new Error(`route ${String(route.method)} ${route.url} declares no roles`);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) if (method !== 'HEAD') table.push({ method, url: route.url, roles });
  });
  app.addHook('onRequest', async (req) => {
    const roles = req.routeOptions.config.roles;
    if (!roles || roles === 'public') return;
    const principal = await keys.verify(bearer(req), req.ip);
    if (!roles.includes(principal.role)) {
      throw new LedgerlineError(AuthErrors.FORBIDDEN_ROLE, `role ${principal.role} may not call ${req.method} ${req.routeOptions.url}`, {
        role: principal.role,
        allowed: roles,
      });
    }
    req.principal = principal;
  });
  return table;
}
