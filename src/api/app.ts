// Builds the HTTP API: Fastify with strict validation, problem+json errors, key-based auth on
// every route, pino JSON logs carrying a request id, and an OpenAPI 3.1 description generated
// from the route schemas.

import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { DOCS_PREFIX, installAuth, type RouteEntry } from './auth.ts';
import type { ApiContext } from './context.ts';
import { answerClientError, installErrorHandling } from './errors.ts';
import { installAudioBody } from './audio-body.ts';
import { installXmlBody } from './xml-body.ts';
import { installStreamBody } from './stream-body.ts';
import { streamRoutes } from './routes/streams.ts';
import { royaltyRoutes } from './routes/royalties.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { consentRoutes } from './routes/consent.ts';
import { ddexRoutes } from './routes/ddex.ts';
import { licensingRoutes } from './routes/licensing.ts';
import { screeningRoutes } from './routes/screening.ts';
import { detectRoutes } from './routes/detect.ts';
import { fingerprintRoutes } from './routes/fingerprint.ts';
import { attributionRoutes } from './routes/attribution.ts';
import { systemRoutes } from './routes/system.ts';
import { Problem } from './schemas/common.ts';
import { installValidation } from './validation.ts';

export interface AppOptions {
  /** A pino logger; without one the app does not log (tests). */
  logger?: FastifyBaseLogger;
  /** Largest JSON body accepted, bytes. */
  bodyLimit?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteEntry[];
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

export async function buildApp(ctx: ApiContext, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    clientErrorHandler: (err, socket) => answerClientError(err, socket),
    // A caller's x-request-id is kept when it is sane, so logs join up across services.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  installValidation(app);
  installErrorHandling(app);
  installAudioBody(app);
  installXmlBody(app);
  installStreamBody(app);
  app.decorate('routeTable', installAuth(app, ctx.keys));
  app.addSchema(Problem);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'ledgerline',
        version: '0.1.0',
        description: 'Consent, attribution, payment and honesty for AI in music. Errors are application/problem+json (RFC 9457).',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'll_… API key' } } },
      security: [{ apiKey: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => String(json.$id ?? json.title ?? `def-${i}`) },
    // A raw-body route (audio, XML) is documented with its content types and a binary body.
    transform: ({ schema, url, route }) => {
      const raw = route.config?.rawBody;
      if (!raw) return { schema, url };
      return { schema: { ...schema, consumes: raw.types, body: { type: 'string', format: 'binary', description: `${raw.what}, as the request body` } }, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX });

  await app.register(systemRoutes, { ctx });
  await app.register(authRoutes, { ctx });
  await app.register(catalogRoutes, { ctx });
  await app.register(auditRoutes, { ctx });
  await app.register(fingerprintRoutes, { ctx });
  await app.register(attributionRoutes, { ctx });
  await app.register(streamRoutes, { ctx });
  await app.register(royaltyRoutes, { ctx });
  await app.register(detectRoutes, { ctx });
  await app.register(consentRoutes, { ctx });
  await app.register(licensingRoutes, { ctx });
  await app.register(ddexRoutes, { ctx });
  await app.register(screeningRoutes, { ctx });
  return app;
}
