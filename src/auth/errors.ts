import { defineErrorCodes } from '../shared/index.ts';

export const AuthErrors = defineErrorCodes('AUTH', {
  MISSING_KEY: { kind: 'unauthenticated', title: 'An API key is required' },
  INVALID_KEY: { kind: 'unauthenticated', title: 'The API key is not valid' },
  THROTTLED: { kind: 'rate_limited', title: 'Too many failed authentications; try again later' },
  FORBIDDEN_ROLE: { kind: 'forbidden', title: 'This role may not call this route' },
  BAD_ROLE: { kind: 'bad_input', title: 'Unknown role' },
  BAD_SUBJECT: { kind: 'bad_input', title: 'The rights holder, artist or licensee a key speaks for does not exist in the organisation, or the role speaks for none' },
  KEY_NOT_FOUND: { kind: 'not_found', title: 'No such API key' },
});
