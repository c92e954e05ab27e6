// Failed authentications cost an argon2id run each (tens of milliseconds of a core, by design),
// so a flood of wrong secrets for a known key id would hold every core and make honest requests
// wait. Failures are counted per client address and per key id over a sliding minute; past the
// limit, further attempts from that address, or for that key id, are answered 429 without any
// argon2 work until the window moves on. A key id under attack still admits the secret this
// process has verified before (compared by its SHA-256, in constant time), so an attacker who
// knows a key's id cannot lock its owner out of a process that has seen the key. Counts are per
// process and in memory: each process protects its own cores.

import { createHash, timingSafeEqual } from 'node:crypto';

export interface ThrottleLimits {
  windowMs: number;
  perAddress: number;
  perKeyId: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { windowMs: 60_000, perAddress: 20, perKeyId: 50 };

const digest = (secret: string) => createHash('sha256').update(secret).digest();

export class AuthThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly known = new Map<string, Buffer>();

  constructor(
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const cutoff = this.now() - this.limits.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /**
   * Whether an attempt may be verified: null if so, else the seconds until it may. An admitted
   * attempt counts as a failure at once (attempts verified concurrently cannot all slip under
   * the limit) and is taken back by `succeeded`. A key id over its limit still admits the secret
   * verified before.
   */
  admit(address: string | undefined, keyId: string, secret: string): number | null {
    const retry = (list: number[]) => Math.max(1, Math.ceil((list[0]! + this.limits.windowMs - this.now()) / 1000));
    const a = address ? this.recent(`a:${address}`) : [];
    if (a.length >= this.limits.perAddress) return retry(a);
    const k = this.recent(`k:${keyId}`);
    if (k.length >= this.limits.perKeyId) {
      const seen = this.known.get(keyId);
      if (!seen || !timingSafeEqual(seen, digest(secret))) return retry(k);
    }
    const t = this.now();
    if (address) this.failures.set(`a:${address}`, [...a, t]);
    this.failures.set(`k:${keyId}`, [...k, t]);
    if (this.failures.size > 100_000) this.failures.clear();
    return null;
  }

  /** The attempt was right: it is no failure, and its secret is remembered for the key id. */
  succeeded(address: string | undefined, keyId: string, secret: string): void {
    for (const key of [address ? `a:${address}` : null, `k:${keyId}`]) {
      const list = key ? this.failures.get(key) : undefined;
      if (list?.length) list.pop();
    }
    if (this.known.size > 100_000) this.known.clear();
    this.known.set(keyId, digest(secret));
  }

  forget(keyId: string): void {
    this.known.delete(keyId);
  }
}
