// Merkle manifests: RFC 6962 audit paths verify for every leaf of every tree size, and a
// manifest or proof that was altered in any part fails verification, saying which check failed.

import { describe, expect, it } from 'vitest';
import { auditPath, buildManifest, generateSigningKey, leafHash, merkleRoot, proveIsrc, verifyManifest, verifyPath, verifyProof, type ManifestEntry } from '../../src/licensing/index.ts';

const key = generateSigningKey();
const other = generateSigningKey();
const entry = (n: number): ManifestEntry => ({ isrc: `GBAAA26${String(n).padStart(5, '0')}`, contentHash: n.toString(16).padStart(64, '0'), durationMs: 1000 * n, consentVersion: n });
const manifest = (n: number) =>
  buildManifest(
    { id: '00000000-0000-4000-8000-000000000001', organisation: 'org', license: 'lic', licensee: 'acme-ai', use: 'ai_training', territory: 'GB', purpose: null, issuedAt: '2026-11-22T00:00:00.000Z', filters: {} },
    Array.from({ length: n }, (_, i) => entry(2 * i + 10)).reverse(),
    key,
  );
const failed = (v: { checks: { check: string; ok: boolean }[] }) => v.checks.filter((c) => !c.ok).map((c) => c.check);

describe('RFC 6962 Merkle tree', () => {
  it('verifies the audit path of every leaf for tree sizes 1 to 40, and no path for a wrong index or leaf', () => {
    for (let n = 1; n <= 40; n++) {
      const leaves = Array.from({ length: n }, (_, i) => leafHash(`leaf ${i}`));
      const root = merkleRoot(leaves);
      for (let m = 0; m < n; m++) {
        const path = auditPath(leaves, m);
        expect(verifyPath(leaves[m]!, m, n, path, root), `n=${n} m=${m}`).toBe(true);
        if (n > 1) expect(verifyPath(leaves[m]!, (m + 1) % n, n, path, root)).toBe(false);
        expect(verifyPath(leafHash('other'), m, n, path, root)).toBe(false);
      }
    }
  });

  it('hashes the empty tree to SHA-256 of nothing and a single leaf to its leaf hash', () => {
    expect(merkleRoot([]).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(merkleRoot([leafHash('x')]).equals(leafHash('x'))).toBe(true);
  });
});

describe('manifests', () => {
  it('sorts entries by ISRC and verifies with the public key alone', () => {
    const m = manifest(7);
    expect(m.entries.map((e) => e.isrc)).toEqual([...m.entries.map((e) => e.isrc)].sort());
    expect(verifyManifest(JSON.parse(JSON.stringify(m)), key.publicKeyPem).ok).toBe(true);
  });

  it('fails, naming the check, when an entry, the header or the key is not the signed one', () => {
    const m = manifest(7);
    const altered = structuredClone(m);
    altered.entries[3]!.consentVersion += 1;
    expect(failed(verifyManifest(altered, key.publicKeyPem))).toEqual(['root']);
    const dropped = structuredClone(m);
    dropped.entries.splice(2, 1);
    expect(failed(verifyManifest(dropped, key.publicKeyPem))).toEqual(['count', 'root']);
    const header = structuredClone(m);
    header.header.licensee = 'someone-else';
    expect(failed(verifyManifest(header, key.publicKeyPem))).toEqual(['signature']);
    expect(failed(verifyManifest(m, other.publicKeyPem))).toEqual(['signature']);
    expect(failed(verifyManifest({ nonsense: true }, key.publicKeyPem))).toEqual(['format']);
    expect(failed(verifyManifest(m, 'not a key'))).toEqual(['public key']);
  });

  it('proves inclusion and non-inclusion (middle, before the first, after the last, empty)', () => {
    const m = manifest(9);
    for (const e of m.entries) {
      const p = proveIsrc(m, e.isrc);
      expect(p.kind).toBe('inclusion');
      expect(verifyProof(JSON.parse(JSON.stringify(p)), key.publicKeyPem).ok).toBe(true);
    }
    for (const isrc of ['GBAAA2600011', 'GBAAA2600001', 'GBAAA2699999']) {
      const p = proveIsrc(m, isrc);
      expect(p.kind).toBe('non-inclusion');
      expect(verifyProof(p, key.publicKeyPem).ok, isrc).toBe(true);
    }
    const empty = manifest(0);
    expect(verifyProof(proveIsrc(empty, 'GBAAA2600011'), key.publicKeyPem).ok).toBe(true);
  });

  it('rejects forged proofs: altered entry, skipped neighbour, inclusion claimed for another ISRC', () => {
    const m = manifest(9);
    const inc = proveIsrc(m, m.entries[4]!.isrc);
    const altered = structuredClone(inc);
    altered.leaves[0]!.entry.contentHash = 'f'.repeat(64);
    expect(failed(verifyProof(altered, key.publicKeyPem))).toEqual(['path of entry 4']);
    const claimed = structuredClone(inc);
    claimed.isrc = 'GBAAA2600011';
    expect(failed(verifyProof(claimed, key.publicKeyPem))).toEqual(['inclusion']);
    // An absence "proof" for a present ISRC built from two entries that are not adjacent.
    const present = m.entries[4]!.isrc;
    const fake = { ...proveIsrc(m, 'GBAAA2600019'), isrc: present };
    fake.leaves = [proveIsrc(m, m.entries[3]!.isrc).leaves[0]!, proveIsrc(m, m.entries[5]!.isrc).leaves[0]!];
    expect(failed(verifyProof(fake, key.publicKeyPem))).toEqual(['non-inclusion']);
  });
});
