// Draws the evidence as SVG: the averaged spectrum with the ceiling, the residual spectrum over
// the searched band with every comb harmonic marked, a zoom on the first dozen harmonics where
// single lines can be seen, and the spectrum of the fine detail's level with the period's lines
// marked, and for stereo the channels' level difference against the frame length with its dip
// marked. Columns are max-pooled so a one-bin line is never lost.

import type { Residual } from './comb.ts';
import type { AverageSpectrum } from './spectrum.ts';

export interface CombMarks {
  spacingHz: number;
  firstHarmonic: number;
  harmonics: number;
  bandHz: number[];
  ceilingHz: number;
  title: string;
  /** The fine-detail level's residual spectrum and the spacing of its strongest comb. */
  periodic?: { res: Residual; bandHz: [number, number]; spacingHz: number };
  /** The channels' mean level difference (dB) at each frame length (samples), and its dip. */
  rebuilt?: { lengths: number[]; differenceDb: number[]; dipAt: number };
}

const W = 960;
const PANEL_H = 150;
const LEFT = 48;
const GAP = 34;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function pooled(values: (k: number) => number, fromBin: number, toBin: number, columns: number): Float64Array {
  const out = new Float64Array(columns).fill(-Infinity);
  const span = Math.max(1, toBin - fromBin);
  for (let k = fromBin; k <= toBin; k++) {
    const c = Math.min(columns - 1, Math.floor(((k - fromBin) / span) * columns));
    const v = values(k);
    if (v > out[c]!) out[c] = v;
  }
  return out;
}

function panel(y0: number, label: string, series: Float64Array, fromHz: number, toHz: number, marks: number[], markColor: string): string {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of series) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!Number.isFinite(lo)) lo = hi = 0;
  if (hi - lo < 1) hi = lo + 1;
  const plotW = W - LEFT - 10;
  const x = (hz: number) => LEFT + ((hz - fromHz) / (toHz - fromHz)) * plotW;
  const y = (v: number) => y0 + PANEL_H - ((v - lo) / (hi - lo)) * PANEL_H;
  const pts: string[] = [];
  for (let c = 0; c < series.length; c++) {
    const v = series[c]!;
    if (Number.isFinite(v)) pts.push(`${(LEFT + (c / series.length) * plotW).toFixed(1)},${y(v).toFixed(1)}`);
  }
  const ticks = marks
    .filter((hz) => hz >= fromHz && hz <= toHz)
    .map((hz) => `<line x1="${x(hz).toFixed(1)}" y1="${y0}" x2="${x(hz).toFixed(1)}" y2="${y0 + 8}" stroke="${markColor}" stroke-width="1"/>`)
    .join('');
  const axis = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => {
      const hz = fromHz + t * (toHz - fromHz);
      return `<text x="${x(hz).toFixed(1)}" y="${y0 + PANEL_H + 12}" font-size="10" text-anchor="middle">${hz >= 1000 ? (hz / 1000).toFixed(2) + ' kHz' : hz.toFixed(0) + ' Hz'}</text>`;
    })
    .join('');
  return (
    `<text x="${LEFT}" y="${y0 - 5}" font-size="11">${esc(label)} (${lo.toFixed(0)} to ${hi.toFixed(0)} dB)</text>` +
    `<rect x="${LEFT}" y="${y0}" width="${plotW}" height="${PANEL_H}" fill="none" stroke="#999"/>` +
    ticks +
    `<polyline fill="none" stroke="#1f4e9c" stroke-width="0.8" points="${pts.join(' ')}"/>` +
    axis
  );
}

/** A curve over frame lengths in even (half-octave) steps, each point labelled, one marked. */
function lengthPanel(y0: number, label: string, lengths: number[], values: number[], markAt: number): string {
  const lo = Math.min(...values);
  const hi = Math.max(lo + 0.5, Math.max(...values));
  const plotW = W - LEFT - 10;
  const x = (i: number) => LEFT + ((i + 0.5) / lengths.length) * plotW;
  const y = (v: number) => y0 + PANEL_H - ((v - lo) / (hi - lo)) * (PANEL_H - 10) - 5;
  const pts = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  const mark = lengths.indexOf(markAt);
  return (
    `<text x="${LEFT}" y="${y0 - 5}" font-size="11">${esc(label)} (${lo.toFixed(2)} to ${hi.toFixed(2)} dB)</text>` +
    `<rect x="${LEFT}" y="${y0}" width="${plotW}" height="${PANEL_H}" fill="none" stroke="#999"/>` +
    (mark >= 0 ? `<line x1="${x(mark).toFixed(1)}" y1="${y0}" x2="${x(mark).toFixed(1)}" y2="${y0 + PANEL_H}" stroke="#c00" stroke-width="1"/>` : '') +
    `<polyline fill="none" stroke="#1f4e9c" stroke-width="1.2" points="${pts.join(' ')}"/>` +
    pts.map((p) => `<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="2.5" fill="#1f4e9c"/>`).join('') +
    lengths.map((l, i) => `<text x="${x(i).toFixed(1)}" y="${y0 + PANEL_H + 12}" font-size="10" text-anchor="middle">${l}</text>`).join('')
  );
}

export function drawSpectrum(sp: AverageSpectrum, res: Residual, m: CombMarks): string {
  const bins = sp.power.length;
  const db = (k: number) => 10 * Math.log10(sp.power[k]! + 1e-30);
  const nyquist = sp.sampleRate / 2;
  const full = pooled(db, 1, bins - 1, W - LEFT - 10);
  const lines: number[] = [];
  for (let h = m.firstHarmonic; h < m.firstHarmonic + m.harmonics; h++) lines.push(h * m.spacingHz);
  const [bandLo, bandHi] = [m.bandHz[0]!, m.bandHz[1]!];
  const band = pooled((k) => res.peak[k]!, Math.round(bandLo / sp.binHz), Math.round(bandHi / sp.binHz), W - LEFT - 10);
  const zoomLo = bandLo;
  const zoomHi = Math.min(bandHi, bandLo + 12.5 * m.spacingHz);
  const zoom = pooled((k) => res.peak[k]!, Math.round(zoomLo / sp.binHz), Math.round(zoomHi / sp.binHz), W - LEFT - 10);
  const y1 = 40;
  const y2 = y1 + PANEL_H + GAP;
  const y3 = y2 + PANEL_H + GAP;
  const y4 = y3 + PANEL_H + GAP;
  const p = m.periodic;
  const y5 = (p ? y4 : y3) + PANEL_H + GAP;
  const r = m.rebuilt;
  const height = (r ? y5 : p ? y4 : y3) + PANEL_H + 24;
  let level = '';
  if (p) {
    const series = pooled((k) => p.res.peak[k]!, Math.round(p.bandHz[0] / p.res.binHz), Math.round(p.bandHz[1] / p.res.binHz), W - LEFT - 10);
    const marks: number[] = [];
    for (let f = Math.ceil(p.bandHz[0] / p.spacingHz) * p.spacingHz; f <= p.bandHz[1]; f += p.spacingHz) marks.push(f);
    level = panel(y4, `Level of the fine detail: lines above the local median, ${p.bandHz[0]}-${p.bandHz[1]} Hz; its period's lines (every ${p.spacingHz.toFixed(2)} Hz) marked`, series, p.bandHz[0], p.bandHz[1], marks, '#c00');
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" font-family="sans-serif">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    `<text x="${LEFT}" y="18" font-size="13">${esc(m.title)}</text>` +
    panel(y1, `Averaged power spectrum, ${sp.sampleRate} Hz, ${sp.binHz.toFixed(2)} Hz bins; ceiling marked`, full, 0, nyquist, [m.ceilingHz], '#c00') +
    panel(y2, `Level above the local median, ${bandLo}-${bandHi} Hz; comb harmonics marked`, band, bandLo, bandHi, lines, '#c00') +
    panel(y3, `Zoom on the first harmonics in the band`, zoom, zoomLo, zoomHi, lines, '#c00') +
    level +
    (r ? lengthPanel(y5, `Mean level difference of the two channels against the frame length (samples); the deepest dip marked`, r.lengths, r.differenceDb, r.dipAt) : '') +
    `</svg>`
  );
}
