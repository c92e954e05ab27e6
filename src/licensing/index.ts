export * from './types.ts';
export { LicensingErrors } from './errors.ts';
export type { LicensingStore, Candidate, IssuedEntry, NewNotice } from './store.ts';
export { buildManifest, proveIsrc, verifyManifest, verifyProof, leafOf, type Verification, type Check } from './manifest.ts';
export { merkleRoot, auditPath, verifyPath, leafHash } from './merkle.ts';
export { generateSigningKey, readPublicKey, type SigningKey } from './signing.ts';
export { keyRing, adoptKey, type KeyRing, type KeyRingOptions } from './keyring.ts';
export * from './service.ts';
