// The embedded index: immutable segment files in one directory, each a sorted run of postings.
// Adding tracks writes a new segment (to a temporary name, fsynced, then renamed, so a crash
// leaves either the whole segment or none); many segments are merged into one. Opening reads
// each segment's key directory; postings of small segments are read whole, those of large ones
// are read on demand, one positional read per key, so a 1000-hour index opens at once.
//
// Segment layout (little-endian): "LLFP" | format u32 | config version u32 | keys u32 |
// postings u32 | keys u32[keys] | starts u32[keys+1] | postings as 12-byte records
// (track u32, t1 u32, c1 u16, span u16).

import { closeSync, fsyncSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LedgerlineError } from '../shared/index.ts';
import { FingerprintErrors } from './errors.ts';
import type { Hashes } from './hashes.ts';
import type { FingerprintIndex } from './index-store.ts';
import { buildSorted, emptyPostings, locateKeys, materialize, type SortedPostings } from './memory-index.ts';
import { POSTING_BYTES, type LookupPart, type LookupResult, type PostingList } from './postings.ts';

const MAGIC = 0x5046_4c4c; // "LLFP"
const FORMAT = 2;
const HEADER = 20;
const MERGE_AT = 12;
/** Segments with more postings than this are read on demand instead of whole. */
const EAGER_POSTINGS = 8_000_000;

// Records are read and written through typed views on buffers of their own (offset 0, so
// aligned) on a little-endian host: u32 track, u32 t1, u16 c1, u16 span.

function recordsOf(p: PostingList, from: number, to: number): Uint8Array {
  const count = to - from;
  const out = new Uint8Array(count * POSTING_BYTES);
  const u32 = new Uint32Array(out.buffer, 0, count * 3);
  const u16 = new Uint16Array(out.buffer, 0, count * 6);
  for (let i = 0; i < count; i++) {
    u32[3 * i] = p.track[from + i]!;
    u32[3 * i + 1] = p.t1[from + i]!;
    u16[6 * i + 4] = p.c1[from + i]!;
    u16[6 * i + 5] = p.span[from + i]!;
  }
  return out;
}

function decodeRecords(buf: Uint8Array, count: number, into: PostingList) {
  const u32 = new Uint32Array(buf.buffer, buf.byteOffset, count * 3);
  const u16 = new Uint16Array(buf.buffer, buf.byteOffset, count * 6);
  for (let i = 0; i < count; i++) {
    into.track[i] = u32[3 * i]!;
    into.t1[i] = u32[3 * i + 1]!;
    into.c1[i] = u16[6 * i + 4]!;
    into.span[i] = u16[6 * i + 5]!;
  }
}

/** Reads exactly `bytes` at `position` into `buf` at `offset`; a short file is a damaged segment. */
function readInto(fd: number, buf: Uint8Array, offset: number, bytes: number, position: number, file: string) {
  let got = 0;
  while (got < bytes) {
    const n = readSync(fd, buf, offset + got, bytes - got, position + got);
    if (n === 0) throw new LedgerlineError(FingerprintErrors.INDEX_CORRUPT, `${file} is truncated`);
    got += n;
  }
}

function readExactly(fd: number, bytes: number, position: number, file: string): Uint8Array {
  // Buffer.allocUnsafeSlow gives a buffer of its own, so typed-array views on it are aligned.
  const buf = Buffer.allocUnsafeSlow(bytes);
  readInto(fd, buf, 0, bytes, position, file);
  return new Uint8Array(buf.buffer, buf.byteOffset, bytes);
}

/** Reads and decodes all `count` postings of a segment whose records start at `dataAt`. */
function readPostings(fd: number, count: number, dataAt: number, file: string): PostingList {
  const postings = emptyPostings(count);
  decodeRecords(readExactly(fd, count * POSTING_BYTES, dataAt, file), count, postings);
  return postings;
}

/** An opened segment: its directory in memory, its postings in memory or on disk. */
interface Segment {
  file: string;
  keys: Uint32Array;
  starts: Uint32Array;
  postings: PostingList | null;
  fd: number | null;
  dataAt: number;
}

function openSegment(path: string, name: string, configVersion: number, size: number, eager: number): Segment {
  const fd = openSync(path, 'r');
  try {
    if (size < HEADER) throw new LedgerlineError(FingerprintErrors.INDEX_CORRUPT, `${name} is truncated`);
    const head = new Uint32Array(readExactly(fd, HEADER, 0, name).buffer, 0, 5);
    const [magic, format, version, nk, n] = head as unknown as number[];
    if (magic !== MAGIC || format !== FORMAT) throw new LedgerlineError(FingerprintErrors.INDEX_CORRUPT, `${name} is not a fingerprint segment of format ${FORMAT}`);
    if (version !== configVersion) {
      throw new LedgerlineError(FingerprintErrors.INDEX_VERSION, `${name} holds fingerprints of version ${version}; this build makes version ${configVersion}`);
    }
    const need = HEADER + nk! * 4 + (nk! + 1) * 4 + n! * POSTING_BYTES;
    if (size !== need) throw new LedgerlineError(FingerprintErrors.INDEX_CORRUPT, `${name} is ${size} bytes, expected ${need}`);
    const dir = readExactly(fd, (2 * nk! + 1) * 4, HEADER, name);
    const keys = new Uint32Array(dir.buffer, dir.byteOffset, nk!);
    const starts = new Uint32Array(dir.buffer, dir.byteOffset + nk! * 4, nk! + 1);
    const dataAt = HEADER + (2 * nk! + 1) * 4;
    if (n! <= eager) {
      const postings = readPostings(fd, n!, dataAt, name);
      closeSync(fd);
      return { file: name, keys, starts, postings, fd: null, dataAt };
    }
    return { file: name, keys, starts, postings: null, fd, dataAt };
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    throw err;
  }
}

export class SegmentIndex implements FingerprintIndex {
  readonly kind = 'segments' as const;
  private segments: Segment[] = [];
  private next = 0;

  private constructor(
    private readonly dir: string,
    private readonly configVersion: number,
    private readonly eagerPostings: number,
  ) {}

  /**
   * Opens (creating if needed) the index in `dir`. Segments with more than `eagerPostings`
   * postings are read on demand. Throws LL_FINGERPRINT_INDEX_* on a damaged or foreign segment.
   */
  static async open(dir: string, configVersion: number, opts: { eagerPostings?: number } = {}): Promise<SegmentIndex> {
    await mkdir(dir, { recursive: true });
    const idx = new SegmentIndex(dir, configVersion, opts.eagerPostings ?? EAGER_POSTINGS);
    const names = (await readdir(dir)).sort();
    for (const name of names) if (name.endsWith('.tmp')) await rm(join(dir, name), { force: true });
    try {
      for (const name of names.filter((n) => /^seg-\d{8}\.llfp$/.test(n))) {
        const path = join(dir, name);
        idx.segments.push(openSegment(path, name, configVersion, (await stat(path)).size, idx.eagerPostings));
        idx.next = Math.max(idx.next, Number(name.slice(4, 12)) + 1);
      }
    } catch (err) {
      await idx.close();
      throw err;
    }
    return idx;
  }

  async add(entries: Array<{ ref: number; hashes: Hashes }>): Promise<void> {
    if (entries.length === 0) return;
    await this.addRun(buildSorted(entries));
  }

  /** Writes a sorted run as a new segment (benchmarks add large synthetic runs this way). */
  async addRun(run: SortedPostings): Promise<void> {
    const name = this.write(run);
    this.segments.push({ file: name, keys: run.keys, starts: run.starts, postings: run.postings, fd: null, dataAt: 0 });
    if (this.segments.length >= MERGE_AT) await this.compact();
  }

  /** Merges all segments into one. */
  async compact(): Promise<void> {
    if (this.segments.length < 2) return;
    const runs = this.segments.map((s) => this.loaded(s));
    const total = runs.reduce((n, r) => n + r.postings.count, 0);
    const allKeys = new Set<number>();
    for (const r of runs) for (const k of r.keys) allKeys.add(k);
    const merged = materialize(runs, Uint32Array.from(allKeys).sort());
    if (merged.postings.count !== total) throw new Error(`merge lost postings: ${merged.postings.count} of ${total}`);
    const old = this.segments;
    const name = this.write(merged);
    this.segments = [{ file: name, keys: merged.keys, starts: merged.starts, postings: merged.postings, fd: null, dataAt: 0 }];
    for (const s of old) {
      if (s.fd !== null) closeSync(s.fd);
      await rm(join(this.dir, s.file), { force: true });
    }
  }

  private loaded(s: Segment): SortedPostings {
    if (s.postings) return { keys: s.keys, starts: s.starts, postings: s.postings };
    return { keys: s.keys, starts: s.starts, postings: readPostings(s.fd!, s.starts[s.keys.length]!, s.dataAt, s.file) };
  }

  private write(run: SortedPostings): string {
    const name = `seg-${String(this.next++).padStart(8, '0')}.llfp`;
    const tmp = join(this.dir, `${name}.tmp`);
    const fd = openSync(tmp, 'w');
    try {
      const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      writeSync(fd, bytes(new Uint32Array([MAGIC, FORMAT, this.configVersion, run.keys.length, run.postings.count])));
      writeSync(fd, bytes(run.keys));
      writeSync(fd, bytes(run.starts));
      const CHUNK = 1 << 20;
      for (let from = 0; from < run.postings.count; from += CHUNK) writeSync(fd, recordsOf(run.postings, from, Math.min(run.postings.count, from + CHUNK)));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // rename is atomic: the segment appears whole or not at all.
    renameSync(tmp, join(this.dir, name));
    return name;
  }

  async lookup(keys: Uint32Array): Promise<LookupResult> {
    const parts: LookupPart[] = [];
    const pending = new Map<LookupPart, { seg: Segment; at: number }>();
    const at = locateKeys(
      this.segments.map((s) => s.keys),
      keys,
    );
    for (let k = 0; k < keys.length; k++) {
      for (let r = 0; r < at.length; r++) {
        const i = at[r]![k]!;
        if (i < 0) continue;
        const seg = this.segments[r]!;
        const from = seg.starts[i]!;
        const to = seg.starts[i + 1]!;
        if (seg.postings) {
          parts.push({ key: k, list: seg.postings, from, to });
        } else {
          const lazy: LookupPart = { key: k, list: null, from: 0, to: to - from };
          pending.set(lazy, { seg, at: from });
          parts.push(lazy);
        }
      }
    }
    return {
      parts,
      load: async (chosen) => {
        const todo = chosen.filter((p) => p.list === null && pending.has(p));
        const total = todo.reduce((n, p) => n + p.to, 0);
        if (total === 0) return;
        // One buffer for everything read (its own, so aligned), decoded once.
        const buf = Buffer.allocUnsafeSlow(total * POSTING_BYTES);
        const list = emptyPostings(total);
        let n = 0;
        for (const p of todo) {
          const { seg, at } = pending.get(p)!;
          readInto(seg.fd!, buf, n * POSTING_BYTES, p.to * POSTING_BYTES, seg.dataAt + at * POSTING_BYTES, seg.file);
          p.list = list;
          p.from = n;
          p.to = n + p.to;
          n = p.to;
        }
        decodeRecords(buf, total, list);
      },
    };
  }

  /** Postings of removed tracks stay until a rebuild; matches drop refs that no longer name a track. */
  async remove(): Promise<void> {}

  async stats() {
    let bytes = 0;
    for (const s of this.segments) bytes += (await stat(join(this.dir, s.file))).size;
    return { postings: this.segments.reduce((n, s) => n + s.starts[s.keys.length]!, 0), bytes };
  }

  async close(): Promise<void> {
    for (const s of this.segments) if (s.fd !== null) closeSync(s.fd);
    this.segments = [];
  }
}
