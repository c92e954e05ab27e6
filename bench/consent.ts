// npm run bench:consent — consent checks over HTTP on loopback against the embedded default
// (PGlite in a data directory, the real server). Prints one JSON line of figures (progress on
// stderr):
// - single: GET /v1/consent/check from a separate load-generator process (bench/consent-load.ts)
//   over keep-alive connections: checks per second, p50/p90/p99/max latency in ms;
// - batch: POST /v1/consent/check with 10,000 ISRCs: the first, sent the moment the server
//   listens (racing the view's warm-up, so partly loading from the store), the median and
//   worst of the following, and one right after a consent change (merged into the view in
//   place), in ms;
// - setup: catalog size and the rules in force.
// The catalog: `--tracks N` tracks (default 10000) with a label master split and a publisher
// publishing split, both rights holders allowing ai_training under constrained terms, 5% of
// tracks with a track-level override. Options: --tracks N, --connections C (default 32),
// --seconds S (default 10), --batches B (default 10).

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { serve } from '../src/api/index.ts';
import { createApiKey } from '../src/auth/index.ts';
import { createOrganisation, importCatalog } from '../src/catalog/index.ts';
import { setConsent } from '../src/consent/index.ts';
import { createLicensee } from '../src/licensing/index.ts';
import { openRuntime } from '../src/runtime/index.ts';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const TRACKS = opt('tracks', 10_000);
const CONNECTIONS = opt('connections', 32);
const SECONDS = opt('seconds', 10);
const BATCHES = opt('batches', 10);
const log = (s: string) => process.stderr.write(`${s}\n`);

const dir = mkdtempSync(join(tmpdir(), 'll-bench-consent-'));
const rt = await openRuntime({ dataDir: join(dir, 'data'), threads: 1 });
try {
  const org = await createOrganisation(rt, 'bench', { slug: 'bench', name: 'Bench' });
  const c = { orgId: org.id, actor: 'bench' };
  const isrcs = Array.from({ length: TRACKS }, (_, i) => `GBBEN26${String(i).padStart(5, '0')}`);
  log(`importing ${TRACKS} tracks`);
  const t0 = performance.now();
  await importCatalog(
    rt,
    c,
    {
      artists: [{ ref: 'a', name: 'Bench Artist' }],
      rightsHolders: [
        { ref: 'label', name: 'Bench Label', kind: 'label' },
        { ref: 'pub', name: 'Bench Publishing', kind: 'publisher' },
      ],
      releases: [{ ref: 'r', title: 'Bench Release', artist: 'a' }],
      tracks: isrcs.map((isrc, i) => ({
        title: `Track ${i}`,
        isrc,
        artist: 'a',
        release: 'r',
        durationMs: 180_000,
        master: [{ holder: 'label', percent: '100' }],
        publishing: [{ holder: 'pub', percent: '100' }],
      })),
    },
    (done, total) => done % 2000 === 0 && log(`  ${done}/${total}`),
  );
  const importSeconds = (performance.now() - t0) / 1000;
  const holders = await rt.store.repos.catalog.listRightsHolders(org.id, { limit: 10, offset: 0 });
  const terms = [{ licensees: ['acme-ai', 'beta-ai'], territories: ['GB', 'IE', 'FR', 'DE'], compensationRequired: true }];
  for (const h of holders) {
    await setConsent(rt.consent, { ...c, role: 'rights_holder', subjectId: h.id }, { level: 'rights_holder', id: h.id, use: 'ai_training', state: 'constrained', terms });
  }
  const label = holders.find((h) => h.kind === 'label')!;
  const overrides = Math.floor(TRACKS / 20);
  for (let i = 0; i < overrides; i++) {
    await setConsent(rt.consent, { ...c, role: 'rights_holder', subjectId: label.id }, { level: 'track', isrc: isrcs[i * 20]!, use: 'ai_training', state: 'notAllowed' });
  }
  await createLicensee(rt.licensing, c, { slug: 'acme-ai', name: 'Acme AI' });
  const key = (await createApiKey(rt.store, rt.clock, 'bench', { orgId: org.id, role: 'licensee' })).key;

  const server = await serve(rt, { port: 0, host: '127.0.0.1', work: false, logLevel: 'warn' });
  const isrcFile = join(dir, 'isrcs.txt');
  writeFileSync(isrcFile, isrcs.join('\n'));

  // Batches first, so the first one meets a view still warming up.
  const batch = async () => {
    const t = performance.now();
    const res = await fetch(`${server.url}/v1/consent/check`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ isrcs, use: 'ai_training', licensee: 'acme-ai', territory: 'GB', purpose: 'commercial' }),
    });
    const body = (await res.json()) as { results: { allowed?: boolean }[] };
    const ms = performance.now() - t;
    if (res.status !== 200 || body.results.length !== TRACKS) throw new Error(`batch failed: ${res.status}`);
    return { ms, allowed: body.results.filter((r) => r.allowed).length };
  };
  log('batches');
  const cold = await batch();
  const warm: number[] = [];
  for (let i = 0; i < BATCHES; i++) warm.push((await batch()).ms);
  warm.sort((a, b) => a - b);
  // A consent change between batches is merged into the view, not a reason to reload it.
  await setConsent(rt.consent, { ...c, role: 'rights_holder', subjectId: label.id }, { level: 'track', isrc: isrcs[1]!, use: 'ai_training', state: 'notAllowed' });
  const afterChange = await batch();

  log(`single checks: ${CONNECTIONS} connections for ${SECONDS} s`);
  const load = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'consent-load.ts'), server.url, key, isrcFile, String(CONNECTIONS), String(SECONDS)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`load generator exited ${code}`))));
  });
  const single = JSON.parse(load) as { requests: number; errors: number; seconds: number; p50: number; p90: number; p99: number; max: number };
  await server.app.close();

  const round = (x: number) => Math.round(x * 100) / 100;
  console.log(
    JSON.stringify({
      bench: 'consent',
      tracks: TRACKS,
      rules: holders.length + overrides,
      importSeconds: round(importSeconds),
      single: {
        connections: CONNECTIONS,
        checksPerSecond: Math.round(single.requests / single.seconds),
        errors: single.errors,
        p50Ms: round(single.p50),
        p90Ms: round(single.p90),
        p99Ms: round(single.p99),
        maxMs: round(single.max),
      },
      batch: { isrcs: TRACKS, allowed: cold.allowed, firstMs: round(cold.ms), warmMedianMs: round(warm[Math.floor(warm.length / 2)]!), warmMaxMs: round(warm.at(-1)!), afterConsentChangeMs: round(afterChange.ms) },
    }),
  );
} finally {
  await rt.close({ graceMs: 0 });
  rmSync(dir, { recursive: true, force: true });
}
