// Artist names that imitate a known one: look-alike characters ("Taylor Swlft", Cyrillic "а"),
// small edits ("Drakke"), and added words ("Drake Official", "The Real Drake"). Names are
// compared as skeletons — the idea of Unicode TR39's confusable skeletons, with our own small
// table of the substitutions seen in music spam — and by Damerau-Levenshtein distance (optimal
// string alignment; F. J. Damerau, CACM 7(3), 1964).

/** Characters that pass for others, mapped to what they imitate. */
const CONFUSABLE: Record<string, string> = {
  // Cyrillic and Greek letters that look Latin.
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ɡ: 'g',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w',
  // Digits and symbols.
  '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '$': 's', '@': 'a', '!': 'i', '|': 'i',
  // Latin letters that pass for each other in most fonts.
  l: 'i', ı: 'i',
};
const MULTI: [RegExp, string][] = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/cl/g, 'd'],
];

/** Words that, added to a real name, make an impostor profile look official. */
const FILLER = new Set(['official', 'officiel', 'oficial', 'real', 'the', 'music', 'musik', 'musica', 'tv', 'vevo', 'topic', 'band', 'fan', 'fans', 'tribute', 'channel', 'records', 'hq', 'new', 'original', 'ft', 'feat', 'featuring', 'x', 'and', 'official.', 'page', 'team']);

/** Lower case, no accents, no zero-width or punctuation characters. */
export function plainName(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f\u200b-\u200f\u2060\ufeff]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}$@!| ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The name as it looks: confusables folded, spaces dropped. */
export function skeleton(raw: string): string {
  let s = [...plainName(raw)].map((c) => CONFUSABLE[c] ?? c).join('').replace(/\s+/g, '');
  for (const [re, to] of MULTI) s = s.replace(re, to);
  return s;
}

/** Damerau-Levenshtein distance (optimal string alignment), stopping early past `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const m = a.length;
  const n = b.length;
  let prev2 = new Int32Array(n + 1);
  let prev = new Int32Array(n + 1);
  let cur = new Int32Array(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

export interface KnownArtist {
  id: string;
  name: string;
  verified: boolean;
}

export interface NameImitation {
  artist: KnownArtist;
  how: 'look-alike characters' | 'small edit' | 'added words';
  distance: number;
}

/** Edits allowed for a name of this many characters: none under 5, one up to 9, two beyond. */
const allowedEdits = (len: number) => (len < 5 ? 0 : len < 10 ? 1 : 2);

/**
 * The known artist a name imitates, if any. A name that is exactly a known artist's (same plain
 * form) imitates nothing: it is that artist, or a namesake the profile checks deal with.
 */
export function findImitation(name: string, known: readonly KnownArtist[]): NameImitation | null {
  const plain = plainName(name);
  if (!plain) return null;
  const skel = skeleton(name);
  const words = plain.split(' ');
  let best: NameImitation | null = null;
  for (const artist of known) {
    const kPlain = plainName(artist.name);
    if (!kPlain || kPlain === plain) continue;
    const kSkel = skeleton(artist.name);
    if (kSkel.length < 3) continue;
    let found: NameImitation | null = null;
    if (kSkel === skel) found = { artist, how: 'look-alike characters', distance: 0 };
    else {
      const d = editDistance(skel, kSkel, allowedEdits(kSkel.length));
      if (d <= allowedEdits(kSkel.length)) found = { artist, how: 'small edit', distance: d };
      else {
        // The known name's words in order, the rest filler: "drake official", "the real drake".
        const kWords = kPlain.split(' ');
        const at = words.findIndex((_, i) => kWords.every((w, k) => skeleton(words[i + k] ?? '') === skeleton(w)));
        if (at >= 0) {
          const rest = [...words.slice(0, at), ...words.slice(at + kWords.length)];
          if (rest.length > 0 && rest.every((w) => FILLER.has(w))) found = { artist, how: 'added words', distance: rest.length };
        }
      }
    }
    if (found && (!best || (found.artist.verified && !best.artist.verified) || (found.artist.verified === best.artist.verified && found.distance < best.distance))) best = found;
  }
  return best;
}
