export { ROLES, isRole, actorOf, type Role, type Principal } from './roles.ts';
export type { AuthStore, ApiKeyRecord } from './store.ts';
export { AuthErrors } from './errors.ts';
export { createApiKey, revokeApiKey, publicKeyView, KeyVerifier, type CreatedKey } from './keys.ts';
export { AuthThrottle, DEFAULT_THROTTLE, type ThrottleLimits } from './throttle.ts';
