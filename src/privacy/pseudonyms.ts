// Pseudonyms at the edge: a listener's and a client's identifiers become keyed hashes
// (HMAC-SHA-256, RFC 2104, with a server secret) before anything is written or logged, so the
// raw identifiers exist nowhere at rest. Without the secret a pseudonym cannot be reversed or
// even tested against a guessed identifier (a plain hash could be, by hashing every guess).
//
// The secret belongs to an epoch. Rotating starts a new epoch with a new secret: the same
// listener then gets another pseudonym, and what was recorded before can no longer be linked to
// what comes after. The secrets stay (files private to the service, never in the database), so a
// subject-rights request can still be served by hashing the identifier the listener presents
// under every epoch's secret. Destroying an epoch's secret makes its pseudonyms anonymous.
//
// A pseudonym keeps 132 bits of the HMAC (22 base64url characters): collisions among even
// billions of listeners are out of reach (birthday bound 2^-66 per pair).

import { createHmac } from 'node:crypto';
import { chmod, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadOrCreateSecret } from '../shared/index.ts';

export type PseudonymKind = 'listener' | 'client';

export interface Pseudonymizer {
  /** The epoch new events are recorded under. */
  readonly epoch: number;
  pseudonym(kind: PseudonymKind, id: string, epoch?: number): string;
  /** The identifier's pseudonym under every epoch whose secret is kept, for subject rights. */
  everyEpoch(kind: PseudonymKind, id: string): Array<{ epoch: number; pseudonym: string }>;
}

const FILE = /^epoch-(\d+)\.key$/;

export class KeyedPseudonyms implements Pseudonymizer {
  private constructor(
    private readonly secrets: Map<number, Buffer>,
    readonly epoch: number,
  ) {}

  /** The secrets in `dir` (created private, with epoch 1, when none exist). */
  static async open(dir: string): Promise<KeyedPseudonyms> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    const epochs = (await readdir(dir)).flatMap((f) => {
      const m = FILE.exec(f);
      return m ? [Number(m[1])] : [];
    });
    if (epochs.length === 0) epochs.push(1);
    const secrets = new Map<number, Buffer>();
    for (const e of epochs) secrets.set(e, await loadOrCreateSecret(join(dir, `epoch-${e}.key`)));
    return new KeyedPseudonyms(secrets, Math.max(...epochs));
  }

  /** Starts the next epoch: a new secret, used for every event from now on. */
  static async rotate(dir: string): Promise<KeyedPseudonyms> {
    const current = await KeyedPseudonyms.open(dir);
    await loadOrCreateSecret(join(dir, `epoch-${current.epoch + 1}.key`));
    return KeyedPseudonyms.open(dir);
  }

  pseudonym(kind: PseudonymKind, id: string, epoch = this.epoch): string {
    const secret = this.secrets.get(epoch);
    if (!secret) throw new Error(`no pseudonym secret is kept for epoch ${epoch}`);
    return createHmac('sha256', secret).update(`${kind}\0${id}`).digest('base64url').slice(0, 22);
  }

  everyEpoch(kind: PseudonymKind, id: string) {
    return [...this.secrets.keys()].sort((a, b) => a - b).map((epoch) => ({ epoch, pseudonym: this.pseudonym(kind, id, epoch) }));
  }
}
