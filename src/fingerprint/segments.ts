// The embedded index: immutable segment files in one directory, each a sorted run of postings.
// Adding tracks writes a new segment (to a temporary name, fsynced, then renamed, so a crash
// leaves either the whole segment or none); many segments are merged into one. Opening reads
// the files into memory.
//
// Segment layout (little-endian): "LLFP" | format u32 | config version u32 | keys u32 |
// postings u32 | keys u32[keys] | starts u32[keys+1] | track u32[n] | t1 u32[n] | c1 u16[n] |
// span u16[n].

import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LedgerlineError } from '../shared/index.ts';
import { FingerprintErrors } from './errors.ts';
import type { Hashes } from './hashes.ts';
import type { FingerprintIndex } from './index-store.ts';
import { buildSorted, lookupSorted, type SortedPostings } from './memory-index.ts';
import type { LookupResult } from './postings.ts';

const MAGIC = 0x5046_4c4c; // "LLFP"
const FORMAT = 1;
const MERGE_AT = 12;

function encode(run: SortedPostings, configVersion: number): Uint8Array[] {
  const header = new Uint32Array([MAGIC, FORMAT, configVersion, run.keys.length, run.postings.count]);
  const p = run.postings;
  const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return [bytes(header), bytes(run.keys), bytes(run.starts), bytes(p.track), bytes(p.t1), bytes(p.c1), bytes(p.span)];
}

function decode(buf: Buffer, file: string, configVersion: number): SortedPostings {
  // Copy into an aligned buffer: typed-array views need 4-byte alignment.
  const ab = new ArrayBuffer(buf.length);
  new Uint8Array(ab).set(buf);
  if (buf.length < 20) throw new LedgerlineError(FingerprintErrors.INDEX_CORRUPT, `${file} is truncated`);
  const [magic, format, version, nk, n] = new Uint32Array(ab, 0, 5) as unknown as number[];
  if (magic !== MAGIC || format !== FORMAT) throw new LedgerlineError(FingerprintErrors.INDEX_CORRUPT, `${file} is not a fingerprint segment`);
  if (version !== configVersion) {
    throw new LedgerlineError(FingerprintErrors.INDEX_VERSION, `${file} holds fingerprints of version ${version}; this build makes version ${configVersion}`);
  }
  const need = 20 + nk! * 4 + (nk! + 1) * 4 + n! * 12;
  if (buf.length !== need) throw new LedgerlineError(FingerprintErrors.INDEX_CORRUPT, `${file} is ${buf.length} bytes, expected ${need}`);
  let at = 20;
  const take32 = (len: number) => {
    const a = new Uint32Array(ab, at, len);
    at += len * 4;
    return a;
  };
  const take16 = (len: number) => {
    const a = new Uint16Array(ab, at, len);
    at += len * 2;
    return a;
  };
  const keys = take32(nk!);
  const starts = take32(nk! + 1);
  const track = take32(n!);
  const t1 = take32(n!);
  const c1 = take16(n!);
  const span = take16(n!);
  return { keys, starts, postings: { count: n!, track, t1, c1, span } };
}

/** Merges sorted runs into one (postings of equal keys keep run order). */
export function mergeRuns(runs: SortedPostings[]): SortedPostings {
  const total = runs.reduce((s, r) => s + r.postings.count, 0);
  const allKeys = new Set<number>();
  for (const r of runs) for (const k of r.keys) allKeys.add(k);
  const keys = Uint32Array.from(allKeys).sort();
  const res = lookupSorted(runs, keys, new Set());
  if (res.postings.count !== total) throw new Error(`merge lost postings: ${res.postings.count} of ${total}`);
  return { keys, starts: res.offsets, postings: res.postings };
}

export class SegmentIndex implements FingerprintIndex {
  readonly kind = 'segments' as const;
  private runs: SortedPostings[] = [];
  private files: string[] = [];
  private next = 0;

  private constructor(
    private readonly dir: string,
    private readonly configVersion: number,
  ) {}

  /** Opens (creating if needed) the index in `dir`. Throws LL_FINGERPRINT_INDEX_* on a damaged or foreign segment. */
  static async open(dir: string, configVersion: number): Promise<SegmentIndex> {
    await mkdir(dir, { recursive: true });
    const idx = new SegmentIndex(dir, configVersion);
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      if (name.endsWith('.tmp')) await rm(join(dir, name), { force: true });
    }
    for (const name of names.filter((n) => /^seg-\d{8}\.llfp$/.test(n))) {
      idx.runs.push(decode(await readFile(join(dir, name)), name, configVersion));
      idx.files.push(name);
      idx.next = Math.max(idx.next, Number(name.slice(4, 12)) + 1);
    }
    return idx;
  }

  async add(entries: Array<{ ref: number; hashes: Hashes }>): Promise<void> {
    if (entries.length === 0) return;
    const run = buildSorted(entries);
    await this.write(run);
    this.runs.push(run);
    if (this.runs.length >= MERGE_AT) await this.compact();
  }

  /** Merges all segments into one. */
  async compact(): Promise<void> {
    if (this.runs.length < 2) return;
    const merged = mergeRuns(this.runs);
    const old = [...this.files];
    this.files = [];
    await this.write(merged);
    this.runs = [merged];
    for (const f of old) await rm(join(this.dir, f), { force: true });
  }

  private async write(run: SortedPostings): Promise<void> {
    const name = `seg-${String(this.next++).padStart(8, '0')}.llfp`;
    const tmp = join(this.dir, `${name}.tmp`);
    const fd = openSync(tmp, 'w');
    try {
      for (const part of encode(run, this.configVersion)) writeSync(fd, part);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    await rename(tmp, join(this.dir, name));
    this.files.push(name);
  }

  async lookup(keys: Uint32Array): Promise<LookupResult> {
    return lookupSorted(this.runs, keys, new Set());
  }

  /** Postings of removed tracks stay until a rebuild; matches drop refs that no longer name a track. */
  async remove(): Promise<void> {}

  async stats() {
    let bytes = 0;
    for (const f of this.files) bytes += (await stat(join(this.dir, f))).size;
    return { postings: this.runs.reduce((s, r) => s + r.postings.count, 0), bytes };
  }

  async close(): Promise<void> {
    this.runs = [];
  }
}
