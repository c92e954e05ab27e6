// Routes whose body is not JSON (audio files, XML messages) declare it in their config
// (`rawBody`): the OpenAPI document shows it as binary with its content types, and a request of
// another content type is answered 415 naming the accepted ones.

/** What a raw-body route takes: its content types and what the body is. */
export interface RawBody {
  types: string[];
  what: string;
}

/** The detail of the 415 that refuses `contentType`: what the route takes instead. */
export function refusedContentType(contentType: string | undefined, body: RawBody | undefined): string {
  const given = contentType?.split(';')[0]?.trim() || 'none';
  const advice = body ? `send ${body.what} as the request body with Content-Type ${body.types.join(' or ')} (not a multipart form)` : 'send JSON (Content-Type application/json)';
  return `Content-Type ${given} is not accepted here: ${advice}`;
}
