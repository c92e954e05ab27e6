// The output's timeline as SVG, coloured by source: one lane for the master layer and one for
// the composition layer, each attributed or unlicensed segment a bar over the seconds it covers,
// its opacity the evidence's strength; a legend names each track with its share.

import type { AttributionResult } from './types.ts';

const W = 960;
const LEFT = 110;
const LANE = 34;
const TOP = 30;
const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];
const UNLICENSED = '#d62728';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function timelineSvg(title: string, r: AttributionResult): string {
  const seconds = Math.max(r.durationSeconds, 1);
  const x = (t: number) => LEFT + (Math.max(0, Math.min(seconds, t)) / seconds) * (W - LEFT - 20);
  const colour = new Map<string, string>();
  const legend: string[] = [];
  const name = (trackId: string, label: string, share: string) => {
    if (!colour.has(trackId)) {
      colour.set(trackId, COLOURS[colour.size % COLOURS.length]!);
      legend.push(`${label} (${share})`);
    }
    return colour.get(trackId)!;
  };
  const bars: string[] = [];
  const lane = (row: number, from: number, to: number, fill: string, strength: number, tip: string) =>
    bars.push(
      `<rect x="${x(from).toFixed(1)}" y="${TOP + row * LANE + 4}" width="${Math.max(1, x(to) - x(from)).toFixed(1)}" height="${LANE - 8}" fill="${fill}" fill-opacity="${(0.25 + 0.75 * strength).toFixed(2)}"><title>${esc(tip)}</title></rect>`,
    );
  for (const s of r.master.shares) {
    const c = name(`m:${s.trackId}`, `master: ${s.title}`, `${(s.sharePpm / 10_000).toFixed(2)}%`);
    for (const e of s.evidence) lane(0, e.outputStart, e.outputEnd, c, e.strength, `${s.title} ${e.refStart}-${e.refEnd} s, speed ${e.speed}, ${e.pitchCents} cents`);
  }
  for (const s of r.composition.shares) {
    const c = name(`c:${s.trackId}`, `composition: ${s.title}`, `${(s.sharePpm / 10_000).toFixed(2)}%`);
    for (const e of s.evidence) lane(1, e.outputStart, e.outputEnd, c, e.strength, `${s.title} ${e.refStart}-${e.refEnd} s, key ${e.keyShift}, tempo ×${e.tempoRatio}`);
  }
  for (const u of r.unlicensed) {
    if (!colour.has(`u:${u.trackId}`)) {
      colour.set(`u:${u.trackId}`, UNLICENSED);
      legend.push(`UNLICENSED ${u.layer}: track ${u.trackId}`);
    }
    for (const e of u.evidence) lane(u.layer === 'master' ? 0 : 1, e.outputStart, e.outputEnd, UNLICENSED, e.strength, `unlicensed track ${u.trackId}`);
  }
  const ticks: string[] = [];
  const step = seconds > 240 ? 60 : seconds > 60 ? 15 : 5;
  for (let t = 0; t <= seconds; t += step) ticks.push(`<text x="${x(t).toFixed(1)}" y="${TOP + 2 * LANE + 14}" font-size="10" text-anchor="middle">${t}s</text>`);
  const colours = [...colour.values()];
  const legendRows = legend.map((l, i) => `<rect x="${LEFT}" y="${TOP + 2 * LANE + 26 + i * 16}" width="10" height="10" fill="${colours[i]}"/><text x="${LEFT + 16}" y="${TOP + 2 * LANE + 35 + i * 16}" font-size="11">${esc(l)}</text>`);
  const height = TOP + 2 * LANE + 36 + legend.length * 16;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" font-family="sans-serif">`,
    `<text x="8" y="18" font-size="13">${esc(title)}: ${r.durationSeconds.toFixed(1)} s, master ${((1_000_000 - r.master.unattributedPpm) / 10_000).toFixed(2)}% attributed, composition ${((1_000_000 - r.composition.unattributedPpm) / 10_000).toFixed(2)}%</text>`,
    `<text x="8" y="${TOP + LANE / 2 + 4}" font-size="11">master</text>`,
    `<text x="8" y="${TOP + LANE + LANE / 2 + 4}" font-size="11">composition</text>`,
    `<rect x="${LEFT}" y="${TOP}" width="${W - LEFT - 20}" height="${2 * LANE}" fill="none" stroke="#999"/>`,
    `<line x1="${LEFT}" y1="${TOP + LANE}" x2="${W - 20}" y2="${TOP + LANE}" stroke="#ddd"/>`,
    ...bars,
    ...ticks,
    ...legendRows,
    '</svg>',
  ].join('\n');
}
