// Titles written for search engines rather than listeners: stuffed with keywords ("Relaxing
// Sleep Music | Deep Sleep | Study | Rain Sounds | 10 Hours") or with other artists' names
// ("Drake x Travis Scott Type Beat"). Each measure is reported, so a reviewer sees why.

import { plainName, skeleton, type KnownArtist } from './names.ts';

/** Words of functional and search-bait listings, as seen in mass-uploaded catalogs. */
const BAIT = new Set([
  'relaxing', 'relax', 'sleep', 'sleeping', 'study', 'studying', 'focus', 'meditation', 'calm', 'calming', 'lofi', 'lo', 'fi', 'chill', 'ambient',
  'rain', 'sounds', 'noise', 'white', 'brown', 'pink', 'asmr', 'spa', 'yoga', 'baby', 'lullaby', 'hours', 'hour', 'hz', 'binaural', 'beats', 'instrumental',
  'piano', 'music', 'remix', 'viral', 'tiktok', 'trending', 'hits', 'best', 'top', 'playlist', 'workout', 'gym', 'deep', 'peaceful', 'healing', 'therapy',
]);

export interface TitleCheck {
  keywordStuffed: { separators: number; words: number; baitWords: string[]; hashtags: number; repeated: string[] } | null;
  artistStuffed: { artists: string[]; typeBeat: boolean } | null;
}

export function checkTitle(title: string, uploaderArtist: string | null, known: readonly KnownArtist[]): TitleCheck {
  const separators = (title.match(/[|/•·,;]|\s[-–—]\s/g) ?? []).length;
  const hashtags = (title.match(/#\p{L}/gu) ?? []).length;
  const words = plainName(title).split(' ').filter(Boolean);
  const bait = [...new Set(words.filter((w) => BAIT.has(w)))];
  const counts = new Map<string, number>();
  for (const w of words) if (w.length > 2) counts.set(w, (counts.get(w) ?? 0) + 1);
  const repeated = [...counts].filter(([, n]) => n >= 3).map(([w]) => w);
  const stuffed = (separators >= 3 && bait.length >= 2) || hashtags >= 3 || bait.length >= 5 || repeated.length > 0 || (words.length > 14 && bait.length >= 3);
  const own = uploaderArtist ? skeleton(uploaderArtist) : null;
  const titleSkel = ` ${words.map(skeleton).join(' ')} `;
  const named = known.filter((a) => {
    const s = plainName(a.name).split(' ').map(skeleton).join(' ');
    return s.length >= 3 && skeleton(a.name) !== own && titleSkel.includes(` ${s} `);
  });
  const typeBeat = /\btype\s*beat\b|\bin the style of\b|\bai cover\b/i.test(title);
  return {
    keywordStuffed: stuffed ? { separators, words: words.length, baitWords: bait, hashtags, repeated } : null,
    artistStuffed: named.length >= 2 || (named.length >= 1 && typeBeat) ? { artists: [...new Set(named.map((a) => a.name))], typeBeat } : null,
  };
}
