// A small element tree over a strict, non-validating parser (saxes), with the defences an
// untrusted partner file needs: a size cap, and any DOCTYPE refused before the parser can see
// it, so no entity is ever declared, let alone expanded (billion laughs) or fetched (XXE).
// saxes itself knows only the five predefined entities and character references.

import { SaxesParser } from 'saxes';
import { LedgerlineError } from '../../shared/index.ts';
import { DdexErrors } from './errors.ts';

export const MAX_DDEX_BYTES = 20 * 1024 * 1024;
const MAX_DEPTH = 100;
/**
 * A 20-MB ERN of real releases holds a few hundred thousand elements (about 40 bytes each); the
 * tree costs a few hundred bytes per element, so this bounds it to some hundreds of MB.
 */
const MAX_ELEMENTS = 1_000_000;

/** Thrown from a handler to stop the parser at the first limit crossed: nothing after it is read. */
class Stop extends Error {}

export interface XmlElement {
  /** Local name, without prefix. */
  name: string;
  ns: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
  line: number;
}

const lineAt = (text: string, index: number) => {
  let n = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
};

export function parseXml(input: string | Uint8Array, limit = MAX_DDEX_BYTES): XmlElement {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (size > limit) throw new LedgerlineError(DdexErrors.TOO_LARGE, `the message is ${size} bytes; the limit is ${limit}`, { size, limit });
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: false }).decode(input);
  const dtd = /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i.exec(text);
  if (dtd) {
    const line = lineAt(text, dtd.index);
    throw new LedgerlineError(DdexErrors.DTD, `line ${line}: <!${dtd[1]}> found; messages with a DTD or entity declarations are refused`, { line });
  }
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let count = 0;
  let failure: LedgerlineError | null = null;
  const fail = (message: string): never => {
    failure ??= new LedgerlineError(DdexErrors.MALFORMED, `line ${parser.line}: ${message}`, { line: parser.line });
    throw new Stop();
  };
  parser.on('error', (e) => {
    fail(e.message.replace(/^[^:]*:\d+:\d+: /, ''));
  });
  parser.on('doctype', () => {
    fail('DOCTYPE is refused');
  });
  // Limits are checked as each tag opens, before saxes resolves its namespace (which costs a walk
  // up the open elements), and the first one crossed stops the parse.
  parser.on('opentagstart', () => {
    if (++count > MAX_ELEMENTS) fail(`more than ${MAX_ELEMENTS} elements`);
    if (stack.length >= MAX_DEPTH) fail(`elements nested deeper than ${MAX_DEPTH}`);
  });
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) if (!a.prefix || a.prefix !== 'xmlns') attrs[a.local] = a.value;
    const el: XmlElement = { name: tag.local, ns: tag.uri, attrs, children: [], text: '', line: parser.line };
    if (stack.length) stack[stack.length - 1]!.children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on('text', (t) => {
    if (stack.length) stack[stack.length - 1]!.text += t;
  });
  parser.on('cdata', (t) => {
    if (stack.length) stack[stack.length - 1]!.text += t;
  });
  parser.on('closetag', () => {
    const el = stack.pop();
    if (el) el.text = el.text.trim();
  });
  try {
    parser.write(text).close();
  } catch (e) {
    if (!(e instanceof Stop)) {
      try {
        fail((e as Error).message.replace(/^[^:]*:\d+:\d+: /, ''));
      } catch {
        // recorded in failure
      }
    }
  }
  if (failure) throw failure;
  if (!root) throw new LedgerlineError(DdexErrors.MALFORMED, 'the document has no root element');
  return root;
}

// ---- navigation helpers for the readers ----

export const kids = (el: XmlElement | undefined, name: string): XmlElement[] => (el ? el.children.filter((c) => c.name === name) : []);
export const kid = (el: XmlElement | undefined, name: string): XmlElement | undefined => el?.children.find((c) => c.name === name);
/** The element at a path of local names, e.g. at(rec, 'SoundRecordingEdition', 'ResourceId', 'ISRC'). */
export function at(el: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let cur = el;
  for (const p of path) cur = kid(cur, p);
  return cur;
}
export const textAt = (el: XmlElement | undefined, ...path: string[]): string | undefined => {
  const t = at(el, ...path)?.text;
  return t ? t : undefined;
};
/** Every descendant with this local name, depth first. */
export function descendants(el: XmlElement | undefined, name: string, out: XmlElement[] = []): XmlElement[] {
  if (!el) return out;
  for (const c of el.children) {
    if (c.name === name) out.push(c);
    descendants(c, name, out);
  }
  return out;
}
