// Ed25519 (RFC 8032) signatures over manifest heads, through node:crypto. A key is named by the
// first 16 hex digits of the SHA-256 of its SubjectPublicKeyInfo, so a verifier can tell which
// key a manifest claims without trusting anything else in it.

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export interface SigningKey {
  id: string;
  publicKeyPem: string;
  privateKeyPem: string;
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/** A signing key (its id and both PEMs) from a private key object. */
export function signingKeyFrom(privateKey: KeyObject, publicKey: KeyObject = createPublicKey(privateKey)): SigningKey {
  return {
    id: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export function generateSigningKey(): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return signingKeyFrom(privateKey, publicKey);
}

export function signBytes(key: SigningKey, data: Uint8Array): string {
  return sign(null, data, createPrivateKey(key.privateKeyPem)).toString('base64');
}

/** Reads a PEM public key; throws on anything that is not an Ed25519 key. */
export function readPublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 public key (${key.asymmetricKeyType})`);
  return key;
}

export function verifyBytes(publicKey: KeyObject, data: Uint8Array, signatureB64: string): boolean {
  try {
    return verify(null, data, publicKey, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}
