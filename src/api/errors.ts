// Every error leaves as RFC 9457 application/problem+json with a stable `code`. Messages of
// 5xx errors are replaced: internal details go to the log, not to the caller.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { defineErrorCodes, isLedgerlineError, type ErrorKind } from '../shared/index.ts';
import { refusedContentType } from './raw-body.ts';

export const HttpErrors = defineErrorCodes('HTTP', {
  VALIDATION: { kind: 'bad_input', title: 'The request does not match the schema' },
  MALFORMED_JSON: { kind: 'bad_input', title: 'The body is not valid JSON' },
  BODY_TOO_LARGE: { kind: 'too_large', title: 'The body is larger than allowed' },
  HEADERS_TOO_LARGE: { kind: 'too_large', title: 'The request headers are larger than allowed' },
  MALFORMED_REQUEST: { kind: 'bad_input', title: 'The request is not valid HTTP' },
  UNSUPPORTED_MEDIA_TYPE: { kind: 'bad_input', title: 'Unsupported content type' },
  ROUTE_NOT_FOUND: { kind: 'not_found', title: 'No such route' },
  BAD_REQUEST: { kind: 'bad_input', title: 'Bad request' },
  INTERNAL: { kind: 'internal', title: 'Internal server error' },
});

const STATUS: Record<ErrorKind, number> = {
  bad_input: 400,
  not_found: 404,
  conflict: 409,
  unauthenticated: 401,
  forbidden: 403,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** Domain input that is well-formed but semantically wrong (splits, identifiers, broken audio) is 422. */
const UNPROCESSABLE = /^LL_(CATALOG_(BAD_|SPLITS_)|AUDIO_(CORRUPT|EMPTY|TOO_MANY_CHANNELS|BAD_SAMPLE_RATE))/;
/** Codes whose status is not the one of their kind. */
const STATUS_OVERRIDE: Record<string, number> = { LL_AUDIO_UNSUPPORTED_FORMAT: 415, LL_HTTP_UNSUPPORTED_MEDIA_TYPE: 415 };

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: Array<{ field: string; message: string }>;
  details?: Record<string, unknown>;
}

export function sendProblem(req: FastifyRequest, reply: FastifyReply, p: Omit<ProblemBody, 'type' | 'instance' | 'requestId'>) {
  const body: ProblemBody = { type: `urn:ledgerline:problem:${p.code}`, ...p, instance: req.url, requestId: String(req.id) };
  return reply.code(p.status).type('application/problem+json').send(body);
}

function fastifyProblem(err: FastifyError, req: FastifyRequest): Omit<ProblemBody, 'type' | 'instance' | 'requestId'> | null {
  if (err.validation) {
    const where = err.validationContext ?? 'body';
    // An anyOf failure also reports each branch's failure; keep only the summary for that field.
    const anyOf = new Set(err.validation.filter((v) => v.keyword === 'anyOf').map((v) => v.instancePath));
    const relevant = err.validation.filter((v) => v.keyword === 'anyOf' || !anyOf.has(v.instancePath));
    const errors = relevant.map((v) => {
      const path = v.instancePath ? v.instancePath.slice(1).replace(/\//g, '.') : '';
      const extra = v.keyword === 'additionalProperties' ? (v.params as { additionalProperty?: string }).additionalProperty : undefined;
      const field = [where, path, extra].filter(Boolean).join('.');
      const message = extra ? 'is not a known field' : v.keyword === 'anyOf' ? 'has the wrong type or value' : (v.message ?? 'is invalid');
      return { field, message };
    });
    return {
      code: HttpErrors.VALIDATION.code,
      title: HttpErrors.VALIDATION.title,
      status: 400,
      detail: errors.map((e) => `${e.field} ${e.message}`).join('; '),
      errors,
    };
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: HttpErrors.BODY_TOO_LARGE.code, title: HttpErrors.BODY_TOO_LARGE.title, status: 413, detail: err.message };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      // Name what the route does take: a multipart form sent to an audio route is the usual case.
      const raw = req.routeOptions.config?.rawBody;
      const detail = refusedContentType(req.headers['content-type'], raw);
      return { code: HttpErrors.UNSUPPORTED_MEDIA_TYPE.code, title: HttpErrors.UNSUPPORTED_MEDIA_TYPE.title, status: 415, detail, details: { contentType: req.headers['content-type'] ?? null, accepted: raw?.types ?? ['application/json'] } };
    }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: HttpErrors.MALFORMED_JSON.code, title: HttpErrors.MALFORMED_JSON.title, status: 400, detail: err.message };
  }
  if (err instanceof SyntaxError || err.name === 'SyntaxError') {
    return { code: HttpErrors.MALFORMED_JSON.code, title: HttpErrors.MALFORMED_JSON.title, status: 400, detail: `body is not valid JSON: ${err.message}` };
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return { code: HttpErrors.BAD_REQUEST.code, title: HttpErrors.BAD_REQUEST.title, status: err.statusCode, detail: err.message };
  }
  return null;
}

export function installErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (isLedgerlineError(err)) {
      const status = STATUS_OVERRIDE[err.code] ?? (err.kind === 'bad_input' && UNPROCESSABLE.test(err.code) ? 422 : STATUS[err.kind]);
      if (status >= 500) req.log.error({ err }, 'request failed');
      if (status === 429 && typeof err.details?.retryAfterSeconds === 'number') reply.header('retry-after', String(err.details.retryAfterSeconds));
      return sendProblem(req, reply, {
        code: err.code,
        title: err.title,
        status,
        detail: status >= 500 ? 'internal error; see the server log for this request id' : err.message,
        ...(status < 500 && err.details ? { details: err.details } : {}),
      });
    }
    const p = fastifyProblem(err, req);
    if (p) return sendProblem(req, reply, p);
    req.log.error({ err }, 'unhandled error');
    return sendProblem(req, reply, {
      code: HttpErrors.INTERNAL.code,
      title: HttpErrors.INTERNAL.title,
      status: 500,
      detail: 'internal error; see the server log for this request id',
    });
  });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(req, reply, {
      code: HttpErrors.ROUTE_NOT_FOUND.code,
      title: HttpErrors.ROUTE_NOT_FOUND.title,
      status: 404,
      detail: `no route ${req.method} ${req.url.split('?')[0]}`,
    }),
  );
}

/**
 * Answers a request Node's HTTP parser refused before Fastify saw it (headers over the size
 * limit: 431; anything else malformed: 400) with problem+json like every other error, then
 * closes the connection.
 */
export function answerClientError(err: Error & { code?: string }, socket: { writable: boolean; destroyed: boolean; end(data: string): void }): void {
  if (socket.destroyed || !socket.writable) return;
  const headers = err.code === 'HPE_HEADER_OVERFLOW';
  const def = headers ? HttpErrors.HEADERS_TOO_LARGE : HttpErrors.MALFORMED_REQUEST;
  const status = headers ? 431 : 400;
  const detail = headers ? 'the request headers are over the 16 KiB limit' : 'the request could not be parsed as HTTP';
  const body = JSON.stringify({ type: `urn:ledgerline:problem:${def.code}`, title: def.title, status, detail, code: def.code });
  socket.end(
    `HTTP/1.1 ${status} ${headers ? 'Request Header Fields Too Large' : 'Bad Request'}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
