// Exact split arithmetic and identifier checks, including a randomised property: any split
// built to sum to 100% is accepted, and moving one unit anywhere makes it refused.

import { describe, expect, it } from 'vitest';
import { checkSplit, normaliseIcpn, normaliseIsrc, normaliseIswc, percentToPpm, ppmToPercent, WHOLE_PPM } from '../../src/catalog/index.ts';
import { seededRandom } from '../../src/shared/index.ts';

describe('split shares', () => {
  it('parses percents exactly', () => {
    expect(percentToPpm('100')).toBe(WHOLE_PPM);
    expect(percentToPpm('33.3333')).toBe(333_333);
    expect(percentToPpm(12.5)).toBe(125_000);
    expect(percentToPpm('0.0001')).toBe(1);
    expect(ppmToPercent(333_334)).toBe('33.3334');
    expect(ppmToPercent(500_000)).toBe('50');
  });

  it.each(['0', '100.0001', '-5', '1e2', '33.33333', 'abc', '', ' ', '50%', '0x10'])('refuses "%s"', (p) => {
    expect(() => percentToPpm(p)).toThrow(expect.objectContaining({ code: 'LL_CATALOG_BAD_SHARE' }));
  });

  it('accepts every random split that sums to 100% and refuses it when one unit moves out', () => {
    const random = seededRandom(20261122);
    for (let round = 0; round < 2000; round++) {
      const n = 1 + Math.floor(random() * 12);
      // Random cut points over the whole, so the parts sum to exactly WHOLE_PPM.
      const cuts = Array.from({ length: n - 1 }, () => 1 + Math.floor(random() * (WHOLE_PPM - 1))).sort((a, b) => a - b);
      const edges = [0, ...cuts, WHOLE_PPM];
      const parts = edges.slice(1).map((e, i) => e - edges[i]!).filter((p) => p > 0);
      const shares = parts.map((p, i) => ({ rightsHolderId: `h${i}`, percent: ppmToPercent(p) }));
      expect(checkSplit('master', shares).reduce((s, x) => s + x.sharePpm, 0)).toBe(WHOLE_PPM);
      const last = parts[parts.length - 1]!;
      if (last > 1) {
        const short = [...shares.slice(0, -1), { rightsHolderId: `h${parts.length - 1}`, percent: ppmToPercent(last - 1) }];
        expect(() => checkSplit('master', short)).toThrow(expect.objectContaining({ code: 'LL_CATALOG_SPLITS_SUM' }));
      }
    }
  });

  it('treats an empty split as cleared', () => {
    expect(checkSplit('publishing', [])).toEqual([]);
  });
});

describe('identifiers', () => {
  it('normalises ISRCs and refuses malformed ones', () => {
    expect(normaliseIsrc('us-s1z-99-00001')).toBe('USS1Z9900001');
    for (const bad of ['US-S1Z-99-0001', 'U1S1Z9900001', 'USS1Z99000011', '']) expect(() => normaliseIsrc(bad)).toThrow(/not an ISRC/);
  });

  it('checks the ISWC check digit', () => {
    expect(normaliseIswc('T-034.524.680-1')).toBe('T0345246801');
    expect(() => normaliseIswc('T-034.524.680-2')).toThrow(/check digit \(expected 1\)/);
  });

  it('checks the GS1 check digit of UPC and EAN', () => {
    expect(normaliseIcpn('036000291452')).toBe('036000291452');
    expect(normaliseIcpn('4006381333931')).toBe('4006381333931');
    expect(() => normaliseIcpn('4006381333932')).toThrow(/check digit/);
  });
});
