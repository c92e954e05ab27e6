// `ledgerline royalties` and `ledgerline ledger verify` as real processes on the embedded store:
// a catalog and a month of streams imported, the month's revenue recorded, allocated and closed,
// every holder's statement printed and reconciled to the revenue, the ledger verified.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

let dir: string;
let data: string;
const cli = (...args: string[]) => runCli([...args, '--data', data]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'll-royaltiescli-'));
  data = join(dir, 'data');
  expect((await runCli(['org', 'create', 'label', '--name', 'Label', '--data', data])).code).toBe(0);
  const catalog = {
    rightsHolders: [
      { ref: 'label', name: 'Lighthouse Records', kind: 'label' },
      { ref: 'band', name: 'The Band', kind: 'artist' },
      { ref: 'pub', name: 'Harbour Songs', kind: 'publisher' },
    ],
    tracks: [
      { title: 'One', isrc: 'GBLHR2600001', master: [{ holder: 'label', percent: '70' }, { holder: 'band', percent: '30' }], publishing: [{ holder: 'pub', percent: '100' }] },
      { title: 'Two', isrc: 'GBLHR2600002', master: [{ holder: 'label', percent: '100' }] },
    ],
  };
  await writeFile(join(dir, 'catalog.json'), JSON.stringify(catalog));
  const ev = (id: string, listener: string, isrc: string) => JSON.stringify({ eventId: id, listener, isrc, startedAt: '2026-11-12T20:00:00Z', msPlayed: 95_000, country: 'GB', service: 'spotify' });
  await writeFile(join(dir, 'streams.ndjson'), [ev('1', 'a', 'GBLHR2600001'), ev('2', 'b', 'GBLHR2600001'), ev('3', 'c', 'GBLHR2600001'), ev('4', 'a', 'GBLHR2600002')].join('\n'));
  expect((await cli('catalog', 'import', join(dir, 'catalog.json'), '--org', 'label')).code).toBe(0);
  expect((await cli('streams', 'import', join(dir, 'streams.ndjson'), '--org', 'label')).code).toBe(0);
}, 120_000);
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('ledgerline royalties', () => {
  it('records, allocates and closes a month; every statement reconciles to the revenue; the ledger verifies', async () => {
    const added = await cli('royalties', 'revenue', 'add', '--org', 'label', '--period', '2026-11', '--source', 'streams', '--service', 'spotify', '--territory', 'GB', '--currency', 'EUR', '--amount', '40.00', '--commission-ppm', '100000', '--publishing-ppm', '250000', '--json');
    expect(added.code, added.stderr).toBe(0);
    const allocated = await cli('royalties', 'allocate', '--org', 'label', '--period', '2026-11', '--json');
    expect(allocated.code, allocated.stderr).toBe(0);
    // €40 less 10% commission. One has 3 of the 4 streams: €27, of which €6.75 publishing and €20.25
    // master 70/30 (the tied half cent to the larger share). Two: €9, €6.75 master and €2.25
    // publishing to suspense (Two has no publishing split).
    expect(JSON.parse(allocated.stdout).totals.EUR).toEqual({ amount: 4000, commission: 400, payable: 3375, withheld: 0, suspense: 225 });
    expect((await cli('royalties', 'close', '--org', 'label', '--period', '2026-11')).code).toBe(0);
    const all = await cli('royalties', 'statement', '--org', 'label', '--period', '2026-11', '--all');
    expect(all.code, all.stderr).toBe(0);
    const statements = JSON.parse(all.stdout) as Array<{ holderName: string; currencies: Array<{ earned: number; closing: number }> }>;
    expect(Object.fromEntries(statements.map((s) => [s.holderName, s.currencies[0]!.earned]))).toEqual({ 'Lighthouse Records': 1418 + 675, 'The Band': 607, 'Harbour Songs': 675 });
    expect(statements.reduce((sum, s) => sum + s.currencies[0]!.closing, 0)).toBe(3375);
    const csv = await cli('royalties', 'statement', '--org', 'label', '--period', '2026-11', '--all', '--format', 'csv');
    expect(csv.stdout.split('\n').filter((l) => l.startsWith('period,'))).toHaveLength(1);
    const verify = await cli('ledger', 'verify', '--org', 'label', '--json');
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, unbalanced: [], orphanPostings: 0, mismatched: [] });
    const late = await cli('royalties', 'revenue', 'add', '--org', 'label', '--period', '2026-11', '--source', 'streams', '--service', 'spotify', '--currency', 'EUR', '--amount', '1.00');
    expect(late.code).toBe(2);
    expect(late.stderr).toMatch(/LL_ROYALTIES_PERIOD_CLOSED/);
  }, 180_000);

  it('imports a file of reports in one go, or refuses it whole naming the bad line', async () => {
    const report = (service: string, amount: number) => JSON.stringify({ source: 'streams', period: '2026-12', currency: 'EUR', amountMinor: amount, service, territory: 'GB' });
    await writeFile(join(dir, 'bad.ndjson'), [report('deezer', 100), report('tidal', 200), '{"source": "streams", "amountMinor": "12"}'].join('\n'));
    const bad = await cli('royalties', 'revenue', 'import', join(dir, 'bad.ndjson'), '--org', 'label');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 3: amountMinor must be a whole number/);
    await writeFile(join(dir, 'good.ndjson'), [report('deezer', 100), '', report('tidal', 200)].join('\n'));
    const good = await cli('royalties', 'revenue', 'import', join(dir, 'good.ndjson'), '--org', 'label', '--json');
    expect(good.code, good.stderr).toBe(0);
    expect(JSON.parse(good.stdout)).toEqual({ recorded: 2, alreadyRecorded: 0 });
    // Nothing of the refused file was recorded, and a second import records nothing twice.
    expect(JSON.parse((await cli('royalties', 'revenue', 'import', join(dir, 'good.ndjson'), '--org', 'label', '--json')).stdout)).toEqual({ recorded: 0, alreadyRecorded: 2 });
  }, 120_000);

  it('asks for --holder or --all, with exit 2', async () => {
    const r = await cli('royalties', 'statement', '--org', 'label', '--period', '2026-11');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--holder ID or --all/);
  }, 60_000);
});
