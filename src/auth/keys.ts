// API keys: `ll_<id>_<secret>`. The id finds the record; the secret is checked against an
// argon2id hash (RFC 9106), so a database leak does not reveal usable keys. The full key is
// returned once, at creation.

import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { LedgerlineError } from '../shared/index.ts';
import type { Clock } from '../shared/index.ts';
import type { AuditStore } from '../audit/index.ts';
import { appendAudit } from '../audit/index.ts';
import type { Transactor } from '../shared/index.ts';
import { AuthErrors } from './errors.ts';
import { AuthThrottle } from './throttle.ts';
import { isRole, type Principal, type Role } from './roles.ts';
import type { ApiKeyRecord, AuthStore } from './store.ts';

// RFC 9106 second recommended option, memory-constrained: m = 64 MiB, t = 3, p = 4.
const ARGON2 = { algorithm: 2 /* Argon2id */, memoryCost: 65536, timeCost: 3, parallelism: 4 } as const;
// 32 symbols, so `byte & 31` picks each with equal probability.
const ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const KEY_RE = /^ll_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface CreatedKey {
  id: string;
  orgId: string;
  role: Role;
  name: string;
  subjectId: string | null;
  /** Shown once; never stored. */
  key: string;
}

type Repos = { auth: AuthStore; audit: AuditStore };

export async function createApiKey(
  store: Transactor<Repos>,
  clock: Clock,
  actor: string,
  input: { orgId: string; role: string; name?: string; subjectId?: string | null },
): Promise<CreatedKey> {
  if (!isRole(input.role)) {
    throw new LedgerlineError(AuthErrors.BAD_ROLE, `unknown role "${input.role}"`, { role: input.role });
  }
  const role = input.role;
  const id = Array.from(randomBytes(12), (b) => ID_ALPHABET[b & 31]).join('');
  const secret = randomBytes(32).toString('base64url');
  const secretHash = await hash(secret, ARGON2);
  const name = input.name ?? `${role} key`;
  const subjectId = input.subjectId ?? null;
  // A rights holder, artist or licensee key with no subject could do nothing its role is for.
  if (subjectId === null && role !== 'operator' && role !== 'reviewer') {
    const who = role.replace('_', ' ');
    throw new LedgerlineError(AuthErrors.BAD_SUBJECT, `a ${role} key speaks for one ${who} of the organisation: name it (--subject <id>, or "subjectId" in the API)`, { role });
  }
  await store.transaction(async (r) => {
    // A key speaks for a subject of its own organisation, or (operator, reviewer) for none.
    if (subjectId !== null) {
      const ok = role !== 'operator' && role !== 'reviewer' && (await r.auth.subjectExists(input.orgId, role, subjectId));
      if (!ok) throw new LedgerlineError(AuthErrors.BAD_SUBJECT, `a ${role} key cannot speak for ${subjectId}: no such ${role.replace('_', ' ')} in this organisation`, { role, subjectId });
    }
    await r.auth.insertKey({ id, orgId: input.orgId, role, name, subjectId, issuedBy: actor, secretHash });
    await appendAudit(r.audit, clock, {
      orgId: input.orgId,
      actor,
      action: 'key.create',
      subject: `key:${id}`,
      data: { role, name, subjectId, issuedBy: actor },
    });
  });
  return { id, orgId: input.orgId, role, name, subjectId, key: `ll_${id}_${secret}` };
}

export async function revokeApiKey(
  store: Transactor<Repos>,
  clock: Clock,
  actor: string,
  orgId: string,
  keyId: string,
): Promise<void> {
  await store.transaction(async (r) => {
    const ok = await r.auth.revokeKey(orgId, keyId, clock.now());
    if (!ok) throw new LedgerlineError(AuthErrors.KEY_NOT_FOUND, `no active API key ${keyId}`);
    await appendAudit(r.audit, clock, { orgId, actor, action: 'key.revoke', subject: `key:${keyId}`, data: {} });
  });
}

export function publicKeyView(k: ApiKeyRecord): Omit<ApiKeyRecord, 'secretHash'> {
  const { secretHash: _omit, ...rest } = k;
  return rest;
}

/**
 * Resolves a presented key to its principal. Verified keys are cached in memory for `ttlMs`
 * (keyed by the exact key string, which never leaves this process) because argon2id is
 * deliberately slow; a revocation therefore takes effect within `ttlMs` on other processes
 * and at once on this one.
 */
export class KeyVerifier {
  private readonly cache = new Map<string, { principal: Principal; until: number }>();
  /** A hash of a secret no key has, so an unknown or revoked key costs what a wrong secret costs. */
  private dummy: Promise<string> | null = null;

  constructor(
    private readonly auth: AuthStore,
    private readonly ttlMs = 30_000,
    private readonly throttle = new AuthThrottle(),
  ) {}

  /** `address` is the client's, for the failed-attempt limit (see throttle.ts). */
  async verify(presented: string | undefined, address?: string): Promise<Principal> {
    if (!presented) throw new LedgerlineError(AuthErrors.MISSING_KEY, 'send the API key as "Authorization: Bearer ll_…"');
    const now = Date.now();
    const hit = this.cache.get(presented);
    if (hit && hit.until > now) return hit.principal;
    const m = KEY_RE.exec(presented);
    if (!m) throw new LedgerlineError(AuthErrors.INVALID_KEY, 'the API key is malformed');
    const [, id, secret] = m as unknown as [string, string, string];
    const wait = this.throttle.admit(address, id, secret);
    if (wait !== null) throw new LedgerlineError(AuthErrors.THROTTLED, `too many failed authentications from this address or for this key; try again in ${wait} s`, { retryAfterSeconds: wait });
    const rec = await this.auth.getKey(id);
    // Unknown, revoked and wrong answer alike, after the same argon2 work.
    const usable = rec && !rec.revokedAt ? rec : null;
    const ok = await verify(usable?.secretHash ?? (await (this.dummy ??= hash(randomBytes(32).toString('base64url'), ARGON2))), secret);
    if (!usable || !ok) {
      throw new LedgerlineError(AuthErrors.INVALID_KEY, 'the API key is unknown or revoked');
    }
    this.throttle.succeeded(address, id, secret);
    const principal: Principal = { keyId: usable.id, orgId: usable.orgId, role: usable.role, subjectId: usable.subjectId, issuedBy: usable.issuedBy };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(presented, { principal, until: now + this.ttlMs });
    return principal;
  }

  forget(keyId: string): void {
    for (const [k, v] of this.cache) if (v.principal.keyId === keyId) this.cache.delete(k);
    this.throttle.forget(keyId);
  }
}
