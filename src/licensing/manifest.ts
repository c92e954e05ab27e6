// Manifests as documents: building the signed head over the entries, proving that an ISRC is or
// is not in a manifest, and verifying either offline with nothing but the server's public key.

import { canonicalJson } from '../shared/index.ts';
import { auditPath, leafHash, merkleRoot, verifyPath } from './merkle.ts';
import { readPublicKey, signBytes, verifyBytes, type SigningKey } from './signing.ts';
import { MANIFEST_FORMAT, type LeafProof, type Manifest, type ManifestEntry, type ManifestHeader, type Proof } from './types.ts';

export const leafOf = (e: ManifestEntry) => canonicalJson({ isrc: e.isrc, contentHash: e.contentHash, durationMs: e.durationMs, consentVersion: e.consentVersion });
const headerBytes = (h: ManifestHeader) => Buffer.from(canonicalJson(h), 'utf8');

/** Sorts the entries by ISRC, builds the tree and signs the head. */
export function buildManifest(head: Omit<ManifestHeader, 'format' | 'count' | 'root' | 'hash' | 'signatureAlgorithm' | 'keyId'>, entries: ManifestEntry[], key: SigningKey): Manifest {
  const sorted = [...entries].sort((a, b) => (a.isrc < b.isrc ? -1 : a.isrc > b.isrc ? 1 : 0));
  const root = merkleRoot(sorted.map((e) => leafHash(leafOf(e)))).toString('hex');
  const header: ManifestHeader = { format: MANIFEST_FORMAT, ...head, count: sorted.length, root, hash: 'sha256-rfc6962', signatureAlgorithm: 'ed25519', keyId: key.id };
  return { header, signature: signBytes(key, headerBytes(header)), entries: sorted };
}

/** An inclusion proof for the ISRC, or the proof that it is absent. */
export function proveIsrc(m: Manifest, isrc: string): Proof {
  const leaves = m.entries.map((e) => leafHash(leafOf(e)));
  const leaf = (index: number): LeafProof => ({ index, entry: m.entries[index]!, path: auditPath(leaves, index).map((b) => b.toString('hex')) });
  const at = m.entries.findIndex((e) => e.isrc >= isrc);
  const base = { isrc, header: m.header, signature: m.signature };
  if (at >= 0 && m.entries[at]!.isrc === isrc) return { kind: 'inclusion', ...base, leaves: [leaf(at)] };
  const around: LeafProof[] = [];
  const next = at < 0 ? m.entries.length : at;
  if (next > 0) around.push(leaf(next - 1));
  if (next < m.entries.length) around.push(leaf(next));
  return { kind: 'non-inclusion', ...base, leaves: around };
}

export interface Check {
  check: string;
  ok: boolean;
  detail: string;
}

export interface Verification {
  ok: boolean;
  checks: Check[];
}

function signatureCheck(header: ManifestHeader, signature: string, publicKeyPem: string): Check[] {
  let key;
  try {
    key = readPublicKey(publicKeyPem);
  } catch (e) {
    return [{ check: 'public key', ok: false, detail: `cannot read the public key: ${(e as Error).message}` }];
  }
  const ok = verifyBytes(key, headerBytes(header), signature);
  return [
    {
      check: 'signature',
      ok,
      detail: ok ? `Ed25519 signature of the header verifies with key ${header.keyId}` : 'the signature does not match the header and this public key: the header was altered or signed by another key',
    },
  ];
}

function shapeCheck(doc: unknown, what: string): Check | null {
  const d = doc as Partial<Manifest & Proof> | null;
  if (!d || typeof d !== 'object' || !d.header || typeof d.header !== 'object' || typeof d.signature !== 'string') {
    return { check: 'format', ok: false, detail: `not a ledgerline ${what}: header or signature missing` };
  }
  if (d.header.format !== MANIFEST_FORMAT) return { check: 'format', ok: false, detail: `unknown format ${String(d.header.format)}; expected ${MANIFEST_FORMAT}` };
  return null;
}

const done = (checks: Check[]): Verification => ({ ok: checks.every((c) => c.ok), checks });

/** Checks a whole manifest: signature, entry order, count and Merkle root. */
export function verifyManifest(doc: unknown, publicKeyPem: string): Verification {
  const bad = shapeCheck(doc, 'manifest');
  if (bad) return done([bad]);
  const m = doc as Manifest;
  const checks = signatureCheck(m.header, m.signature, publicKeyPem);
  if (!Array.isArray(m.entries)) return done([...checks, { check: 'entries', ok: false, detail: 'entries missing' }]);
  const countOk = m.entries.length === m.header.count;
  checks.push({ check: 'count', ok: countOk, detail: countOk ? `${m.entries.length} entries, as signed` : `${m.entries.length} entries but the header signs ${m.header.count}` });
  const unsorted = m.entries.findIndex((e, i) => i > 0 && !(m.entries[i - 1]!.isrc < e.isrc));
  checks.push({ check: 'order', ok: unsorted < 0, detail: unsorted < 0 ? 'entries in strict ISRC order' : `entry ${unsorted} (${m.entries[unsorted]!.isrc}) is out of order or repeated` });
  const root = merkleRoot(m.entries.map((e) => leafHash(leafOf(e)))).toString('hex');
  const rootOk = root === m.header.root;
  checks.push({
    check: 'root',
    ok: rootOk,
    detail: rootOk ? `Merkle root ${root} matches the signed root` : `the entries hash to ${root}, not the signed root ${m.header.root}: an entry was added, removed or altered`,
  });
  return done(checks);
}

/** Checks a proof: signature of the head it carries, each audit path, and for absence the neighbours. */
export function verifyProof(doc: unknown, publicKeyPem: string): Verification {
  const bad = shapeCheck(doc, 'proof');
  if (bad) return done([bad]);
  const p = doc as Proof;
  const checks = signatureCheck(p.header, p.signature, publicKeyPem);
  const root = Buffer.from(p.header.root, 'hex');
  const leaves = Array.isArray(p.leaves) ? p.leaves : [];
  for (const l of leaves) {
    const ok =
      l && typeof l === 'object' && Array.isArray(l.path) && l.entry !== null && typeof l.entry === 'object' && verifyPath(leafHash(leafOf(l.entry)), l.index, p.header.count, l.path.map((h) => Buffer.from(String(h), 'hex')), root);
    checks.push({
      check: `path of entry ${l?.index}`,
      ok: !!ok,
      detail: ok ? `${l.entry.isrc} is entry ${l.index} of ${p.header.count} under the signed root` : `entry ${l?.index} does not hash up to the signed root: the entry or its path was altered`,
    });
  }
  if (p.kind === 'inclusion') {
    const ok = leaves.length === 1 && leaves[0]!.entry?.isrc === p.isrc;
    checks.push({ check: 'inclusion', ok, detail: ok ? `${p.isrc} is in manifest ${p.header.id}` : `the proof does not carry an entry for ${p.isrc}` });
  } else if (p.kind === 'non-inclusion') {
    checks.push(absence(p, leaves));
  } else {
    checks.push({ check: 'kind', ok: false, detail: `unknown proof kind ${String(p.kind)}` });
  }
  return done(checks);
}

function absence(p: Proof, leaves: LeafProof[]): Check {
  const n = p.header.count;
  const fail = (detail: string): Check => ({ check: 'non-inclusion', ok: false, detail });
  const yes = { check: 'non-inclusion', ok: true, detail: `${p.isrc} is not in manifest ${p.header.id}` };
  if (n === 0) return leaves.length === 0 ? { ...yes, detail: `${yes.detail} (it is empty)` } : fail('an empty manifest has no entries to show');
  if (leaves.length === 2) {
    const [a, b] = leaves as [LeafProof, LeafProof];
    if (b.index !== a.index + 1) return fail(`the neighbours are entries ${a.index} and ${b.index}, not adjacent`);
    if (!(a.entry.isrc < p.isrc && p.isrc < b.entry.isrc)) return fail(`${p.isrc} does not sort between ${a.entry.isrc} and ${b.entry.isrc}`);
    return yes;
  }
  if (leaves.length === 1) {
    const [a] = leaves as [LeafProof];
    if (a.index === 0 && p.isrc < a.entry.isrc) return yes;
    if (a.index === n - 1 && a.entry.isrc < p.isrc) return yes;
    return fail(`one neighbour is enough only at either end of the manifest; entry ${a.index} is not`);
  }
  return fail('a non-inclusion proof needs the one or two entries around the ISRC');
}
