// `ledgerline streams` and `ledgerline privacy` as real processes on the embedded store: import a
// file of events (a lockstep group among honest listeners), scan prints exactly the promised
// JSON, a forbidden field exits 2 naming it, and a listener's data is exported and erased.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/shared/index.ts';
import { runCli } from '../helpers/cli.ts';

let dir: string;
let data: string;
const planted = new Set<string>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'll-streamscli-'));
  data = join(dir, 'data');
  expect((await runCli(['org', 'create', 'dsp', '--name', 'DSP', '--data', data])).code).toBe(0);
  const random = seededRandom(5);
  const lines: string[] = [];
  let n = 0;
  const add = (listener: string, isrc: string, at: number, ms: number) => {
    const eventId = `e${n++}`;
    lines.push(JSON.stringify({ eventId, listener, isrc, startedAt: new Date(at).toISOString(), msPlayed: ms, country: 'FR', service: 'deezer' }));
    return eventId;
  };
  const start = Date.parse('2026-11-01T00:00:00Z');
  for (let l = 0; l < 200; l++) for (let k = 0; k < 10; k++) add(`user-${l}`, `FRZZZ26${String(Math.floor(random() * random() * 50)).padStart(5, '0')}`, start + random() * 28 * 86_400_000, 60_000);
  for (let day = 0; day < 27; day += 3)
    for (let k = 0; k < 8; k++) for (let b = 0; b < 6; b++) planted.add(add(`bot-${b}`, `FRZZZ26${String(60 + k).padStart(5, '0')}`, start + day * 86_400_000 + k * 90_000 + random() * 10_000, 35_000));
  await writeFile(join(dir, 'events.ndjson'), lines.join('\n'));
  await writeFile(join(dir, 'bad.ndjson'), JSON.stringify({ eventId: 'x', listener: 'y', isrc: 'FRZZZ2600001', startedAt: '2026-11-02T00:00:00Z', msPlayed: 40000, service: 'deezer', age: 34 }));
}, 60_000);
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('ledgerline streams and privacy', () => {
  it('imports events, and scan prints exactly the findings and the flagged event ids', async () => {
    const imported = await runCli(['streams', 'import', join(dir, 'events.ndjson'), '--org', 'dsp', '--json', '--data', data]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ accepted: 2000 + planted.size, duplicates: 0 });
    const scan = await runCli(['streams', 'scan', '--org', 'dsp', '--from', '2026-11-01', '--to', '2026-12-01', '--json', '--data', data]);
    expect(scan.code, scan.stderr).toBe(0);
    const out = JSON.parse(scan.stdout);
    expect(Object.keys(out)).toEqual(['findings', 'flaggedEventIds']);
    expect(out.findings.length).toBeGreaterThan(0);
    for (const f of out.findings) expect(Object.keys(f)).toEqual(['kind', 'accounts', 'tracks', 'streams', 'evidence']);
    expect(out.findings.map((f: { kind: string }) => f.kind)).toContain('lockstep');
    expect([...out.flaggedEventIds].sort()).toEqual([...planted].sort());
    // Accounts are pseudonyms, never what the partner sent.
    expect(JSON.stringify(out).includes('bot-')).toBe(false);
  }, 120_000);

  it('refuses a file with a forbidden field with exit 2, naming the field', async () => {
    const r = await runCli(['streams', 'import', join(dir, 'bad.ndjson'), '--org', 'dsp', '--data', data]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"age".*LL_STREAMS_FORBIDDEN_FIELD/);
  }, 60_000);

  it("exports a listener's events and erases them", async () => {
    const exported = await runCli(['privacy', 'export', '--listener', 'user-3', '--org', 'dsp', '--data', data]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout).events).toHaveLength(10);
    const erased = await runCli(['privacy', 'erase', '--listener', 'user-3', '--org', 'dsp', '--json', '--data', data]);
    expect(JSON.parse(erased.stdout)).toMatchObject({ found: true, eventsErased: 10 });
    const after = await runCli(['privacy', 'export', '--listener', 'user-3', '--org', 'dsp', '--data', data]);
    expect(JSON.parse(after.stdout).events).toEqual([]);
  }, 120_000);
});
