// The `ledgerline` command: output in text and --json, exit codes (0 ok, 1 failure, 2 bad
// usage or input), and nothing half-written on bad input.

import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram, COMMANDS, main } from '../../src/cli/index.ts';
import { captureIo, runMain } from '../helpers/io.ts';
import { progress } from '../../src/cli/context.ts';
import { runCli, startCli } from '../helpers/cli.ts';
import { dropSchema, freshSchemaUrl, waitFor } from '../helpers/store.ts';
import { REDIS_URL } from '../helpers/env.ts';

let url: string;
let schema: string;
let dir: string;

const cli = (...args: string[]) => runMain(args, url);

beforeAll(async () => {
  ({ url, schema } = freshSchemaUrl());
  dir = await mkdtemp(join(tmpdir(), 'll-cli-'));
  expect((await cli('org', 'create', 'label-one', '--name', 'Label One')).code).toBe(0);
});
afterAll(async () => {
  await dropSchema(schema);
  await rm(dir, { recursive: true, force: true });
});

describe('ledgerline CLI', () => {
  it('describes every command in the top-level help as the command itself does, loading none of them', async () => {
    const full = await buildProgram(captureIo(), { code: 0 });
    expect(full.commands.map((c) => c.name())).toEqual(Object.keys(COMMANDS));
    for (const c of full.commands) expect(COMMANDS[c.name()]!.description, c.name()).toBe(c.description());
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(help.stdout).toContain(name);
  });

  it('reports progress in a log line by line for a short run and by tenths for a long one', () => {
    const io = captureIo();
    const short = progress(io, 'fingerprinting', false);
    for (let i = 1; i <= 3; i++) short(i, 3);
    expect(io.stderr()).toBe('fingerprinting 1/3\nfingerprinting 2/3\nfingerprinting 3/3\n');
    const io2 = captureIo();
    const long = progress(io2, 'screening', false);
    for (let i = 1; i <= 1000; i++) long(i, 1000);
    const lines = io2.stderr().trimEnd().split('\n');
    expect(lines).toEqual(['screening 1/1000', ...Array.from({ length: 10 }, (_, k) => `screening ${(k + 1) * 100}/1000`)]);
  });

  it('creates a key, printing it once on stdout and only there', async () => {
    const r = await cli('keys', 'create', '--org', 'label-one', '--role', 'reviewer');
    expect(r.code).toBe(0);
    expect(r.out.trim()).toMatch(/^ll_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(r.err).toContain('shown only now');
    const list = await cli('keys', 'list', '--org', 'label-one', '--json');
    expect(list.out).not.toContain(r.out.trim().slice(16));
    expect(JSON.parse(list.out)).toHaveLength(1);
  });

  it('prints one JSON object with --json', async () => {
    const r = await cli('keys', 'create', '--org', 'label-one', '--role', 'operator', '--json');
    expect(JSON.parse(r.out)).toMatchObject({ role: 'operator', key: expect.stringMatching(/^ll_/) });
  });

  it('does catalog CRUD and splits from the shell', async () => {
    const artist = JSON.parse((await cli('artist', 'add', '--org', 'label-one', '--name', 'Ana', '--verified', '--json')).out);
    expect(artist).toMatchObject({ name: 'Ana', verified: true });
    const holder = JSON.parse((await cli('rights-holder', 'add', '--org', 'label-one', '--name', 'L1', '--kind', 'label', '--json')).out);
    const holder2 = JSON.parse((await cli('rights-holder', 'add', '--org', 'label-one', '--name', 'A1', '--kind', 'artist', '--json')).out);
    const track = JSON.parse(
      (await cli('track', 'add', '--org', 'label-one', '--title', 'Song', '--artist', artist.id, '--isrc', 'US-XYZ-26-00001', '--duration-ms', '1000', '--json')).out,
    );
    expect(track).toMatchObject({ isrc: 'USXYZ2600001', durationMs: 1000 });
    // A list is a table: a header and one row per track.
    const table = (await cli('track', 'list', '--org', 'label-one')).out.trimEnd().split('\n');
    expect(table[0]).toMatch(/^id\s+isrc\s+title\s+durationMs\s+containsAi\s+contentHash$/);
    expect(table.slice(1).find((l) => l.startsWith(track.id))).toMatch(new RegExp(`^${track.id}\\s+USXYZ2600001\\s+Song\\s+1000\\s+-\\s+-$`));
    const set = await cli('split', 'set', track.id, '--org', 'label-one', '--kind', 'master', '--share', `${holder.id}=70`, '--share', `${holder2.id}=30:artist`, '--json');
    expect(set.code).toBe(0);
    expect(JSON.parse(set.out).master).toEqual([
      { rightsHolderId: holder.id, role: null, percent: '70' },
      { rightsHolderId: holder2.id, role: 'artist', percent: '30' },
    ]);
    const bad = await cli('split', 'set', track.id, '--org', 'label-one', '--kind', 'master', '--share', `${holder.id}=70`);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/sums to 70%.*short by 30%/);
    expect(JSON.parse((await cli('split', 'show', track.id, '--org', 'label-one', '--json')).out).master).toHaveLength(2);
    expect((await cli('artist', 'update', artist.id, '--org', 'label-one', '--no-verified', '--json')).out).toContain('"verified":false');
    const text = await cli('track', 'show', track.id, '--org', 'label-one');
    expect(text.out).toMatch(/isrc\s+USXYZ2600001/);
    expect((await cli('track', 'remove', track.id, '--org', 'label-one')).code).toBe(0);
    expect((await cli('track', 'show', track.id, '--org', 'label-one')).code).toBe(2);
  });

  it.each([
    [['no-such-command'], /unknown command/],
    [['track', 'add', '--org', 'label-one'], /required option '--title/],
    [['track', 'add', '--org', 'label-one', '--title', 'x', '--isrc', 'nope'], /not an ISRC/],
    [['track', 'add', '--org', 'label-one', '--title', 'x', '--duration-ms', '-5'], /integer from 0/],
    [['keys', 'create', '--org', 'label-one', '--role', 'admin'], /unknown role "admin"/],
    [['keys', 'create', '--org', 'nobody', '--role', 'operator'], /no organisation "nobody"/],
    [['keys', 'create', '--org', 'label-one', '--role', 'rights_holder'], /a rights_holder key speaks for one rights holder of the organisation: name it \(--subject/],
    [['org', 'create', 'label-one', '--name', 'again'], /exists/],
    [['org', 'create', 'Bad Slug!', '--name', 'x'], /not a slug/],
    [['audit', 'list', '--org', 'label-one', '--limit', 'many'], /integer from 1/],
  ])('exits 2 with a clear message for %j', async (args, msg) => {
    const r = await cli(...(args as string[]));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
  });

  it('reports errors as JSON with --json', async () => {
    const r = await cli('track', 'show', '00000000-0000-0000-0000-000000000000', '--org', 'label-one', '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.err)).toMatchObject({ error: { code: 'LL_CATALOG_NOT_FOUND' } });
  });

  it('refuses a bad import document before writing anything', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({
        rightsHolders: [{ ref: 'l', name: 'L', kind: 'label' }],
        tracks: [
          { title: 'ok', isrc: 'GBIMP2600001', master: [{ holder: 'l', percent: 100 }] },
          { title: 'bad', isrc: 'GBIMP2600002', master: [{ holder: 'ghost', percent: 100 }] },
        ],
      }),
    );
    const r = await cli('catalog', 'import', file, '--org', 'label-one');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/tracks\[1\]\.master names rights holder "ghost"/);
    expect(JSON.parse((await cli('track', 'list', '--org', 'label-one', '--json')).out).filter((t: { isrc: string }) => t.isrc?.startsWith('GBIMP'))).toEqual([]);
    await writeFile(file, '{"tracks": [');
    expect((await cli('catalog', 'import', file, '--org', 'label-one')).err).toMatch(/not valid JSON/);
  });

  it('explains unusable database and Redis URLs with exit 2', async () => {
    const io = captureIo();
    expect(await main(['org', 'list', '--database', 'mysql://localhost/x'], io)).toBe(2);
    expect(io.stderr()).toMatch(/must start with postgres/);
    const io2 = captureIo();
    expect(await main(['worker', '--database', url, '--redis', 'http://x'], io2)).toBe(2);
    expect(io2.stderr()).toMatch(/redis:\/\//);
    const io3 = captureIo();
    expect(await main(['worker'], io3)).toBe(2);
    expect(io3.stderr()).toMatch(/needs the shared database/);
  });
});

describe('ledgerline serve and demo, as real processes', () => {
  it('stops the server when `npm run demo` is stopped, leaving no orphan', async () => {
    const data = join(dir, 'npm-demo');
    const npm = spawn('npm', ['run', 'demo', '--silent'], { cwd: join(import.meta.dirname, '../..'), env: { ...process.env, LEDGERLINE_DATA: data, PORT: '0' }, stdio: 'ignore' });
    const { pid } = await waitFor(async () => JSON.parse((await readFile(join(data, 'server.json'), 'utf8').catch(() => '')) || 'null') as { pid: number } | null, 60_000, 100);
    npm.kill('SIGTERM');
    await waitFor(async () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 30_000, 100);
  });

  it('leaves jobs to worker processes when it serves with Redis, and names the schema it serves', async () => {
    const server = startCli(['serve', '--database', url, '--redis', REDIS_URL, '--port', '0']);
    try {
      await waitFor(async () => /listening on/.test(server.stderrSoFar()), 30_000, 50);
      const line = server.stderrSoFar().split('\n').find((l) => l.includes('listening on'))!;
      expect(line).toContain(`schema ${schema}`);
      expect(line).toMatch(/jobs: bullmq, run by `ledgerline worker` processes/);
    } finally {
      server.child.kill('SIGTERM');
    }
    const done = await server.done;
    expect(done.code, done.stderr).toBe(0);
  });

  it('seeds the demo once, serves it, and stops on SIGTERM', async () => {
    const data = join(dir, 'demo');
    const seeded = await runCli(['demo', '--no-serve', '--data', data]);
    expect(seeded.code, seeded.stderr).toBe(0);
    const keyOf = (role: string) => new RegExp(`${role}\\s+(ll_\\S+)`).exec(seeded.stdout)![1]!;
    const operatorKey = keyOf('operator');
    expect(seeded.stdout).toMatch(/rights_holder\s+ll_\S+\s+\(speaks for rights holder Lighthouse Records\)/);
    expect(seeded.stdout).toMatch(/licensee\s+ll_\S+\s+\(speaks for licensee Demo AI Lab\)/);
    const second = await runCli(['demo', '--no-serve', '--data', data]);
    expect(second.stdout).not.toContain('ll_');
    expect(second.stderr).toContain('exists already');

    const server = startCli(['serve', '--data', data, '--port', '0']);
    try {
      const base = await new Promise<string>((resolve, reject) => {
        const t = setInterval(() => {
          const m = /listening on (http:\/\/\S+)/.exec(server.stderrSoFar());
          if (m) {
            clearInterval(t);
            resolve(m[1]!);
          }
        }, 50);
        void server.done.then((f) => reject(new Error(`server exited: ${f.stderr}`)));
      });
      // Headers over Node's limit are answered as problem+json too, before Fastify sees them.
      const huge = await new Promise<string>((resolve, reject) => {
        const u = new URL(base);
        const sock = connect(Number(u.port), u.hostname, () => sock.write(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
        let got = '';
        sock.on('data', (d) => (got += d));
        sock.on('end', () => resolve(got));
        sock.on('error', reject);
      });
      expect(huge).toMatch(/^HTTP\/1.1 431 /);
      expect(huge).toContain('content-type: application/problem+json');
      expect(JSON.parse(huge.slice(huge.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 431, code: 'LL_HTTP_HEADERS_TOO_LARGE' });
      const health = await fetch(`${base}/health`);
      expect(await health.json()).toEqual({ status: 'ok', engine: 'pglite' });
      const tracks = await fetch(`${base}/v1/tracks`, { headers: { authorization: `Bearer ${operatorKey}` } });
      expect((await tracks.json()).map((t: { title: string }) => t.title).sort()).toEqual(['Low Tide', 'Salt Lines']);
      const unrecorded = await walkEveryRole(base, dir, { operator: operatorKey, rightsHolder: keyOf('rights_holder'), artist: keyOf('artist'), licensee: keyOf('licensee'), reviewer: keyOf('reviewer') });
      // Adding a recording from the shell while the server holds the data: the command names the
      // server to go through, and goes through it.
      const song = join(data, 'demo-audio', 'new-song.wav');
      const held = await runCli(['track', 'audio', unrecorded, song, '--org', 'demo', '--data', data]);
      expect(held.code).toBe(2);
      expect(held.stderr).toContain(`The server at ${base} holds it: run again with --server ${base} --key <operator key>`);
      const sent = await runCli(['track', 'audio', unrecorded, song, '--server', base, '--json'], { LEDGERLINE_API_KEY: operatorKey });
      expect(sent.code, sent.stderr).toBe(0);
      expect(JSON.parse(sent.stdout)).toMatchObject({ trackId: unrecorded, durationSeconds: 40 });
      const again = await runCli(['track', 'audio', unrecorded, song, '--server', base, '--key', operatorKey]);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/answered 409: track .* has its audio already/);
      const logged = server.stdoutSoFar();
      expect(logged).toContain('"reqId"');
      expect(logged).not.toContain(operatorKey);
      // A second process cannot open the same embedded data while the server holds it.
      const blocked = await runCli(['org', 'list', '--data', data]);
      expect(blocked.code).toBe(2);
      expect(blocked.stderr).toMatch(/in use by process/);
      expect(blocked.stderr).toContain(`The server at ${base} holds it: do this through its API (reference at ${base}/docs)`);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGTERM');
    }
    const stopped = await server.done;
    expect(stopped.code).toBe(0);
  });
});

/** Each role's first journey from the README's quick start, on the demo's own keys. */
async function walkEveryRole(base: string, tmp: string, keys: Record<'operator' | 'rightsHolder' | 'artist' | 'licensee' | 'reviewer', string>) {
  const call = async (key: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: await res.json() };
  };
  // The label allows AI training on Low Tide; the artist refuses voice cloning; neither can do the other's part.
  const consent = await call(keys.rightsHolder, 'PUT', '/v1/consent', { level: 'track', isrc: 'GB-LHR-26-00001', use: 'ai_training', state: 'allowed' });
  expect(consent.status, JSON.stringify(consent.body)).toBe(201);
  const artists = await call(keys.operator, 'GET', '/v1/artists');
  const nova = artists.body.find((a: { name: string }) => a.name === 'Nova Lane');
  expect((await call(keys.artist, 'PUT', '/v1/consent', { level: 'artist', id: nova.id, use: 'voice_clone', state: 'notAllowed' })).status).toBe(201);
  expect((await call(keys.rightsHolder, 'PUT', '/v1/consent', { level: 'track', isrc: 'GB-LHR-26-00001', use: 'voice_clone', state: 'allowed' })).status).toBe(403);
  // The AI developer asks for a training set under its license and gets only the consented track, with a proof.
  // A track without its recording cannot be delivered, and the answer says so.
  const unrecorded = await call(keys.operator, 'POST', '/v1/tracks', { title: 'Unrecorded', isrc: 'GB-LHR-26-00003' });
  expect(unrecorded.status).toBe(201);
  const [license] = (await call(keys.licensee, 'GET', '/v1/licenses')).body;
  const dataset = await call(keys.licensee, 'POST', `/v1/licenses/${license.id}/datasets`, { use: 'ai_training', territory: 'GB' });
  expect(dataset.status, JSON.stringify(dataset.body)).toBe(201);
  expect(dataset.body.manifest.entries.map((e: { isrc: string }) => e.isrc)).toEqual(['GBLHR2600001']);
  expect(dataset.body.excluded).toEqual({ notAllowed: 1, compensationUnpaid: 0, noIsrc: 0, noAudio: 1 });
  const proof = await call(keys.licensee, 'GET', `/v1/manifests/${dataset.body.manifest.header.id}/proof?isrc=GB-LHR-26-00001`);
  expect(proof.status).toBe(200);
  const [signing] = (await call(keys.licensee, 'GET', '/v1/signing-keys')).body;
  await writeFile(join(tmp, 'proof.json'), JSON.stringify(proof.body));
  await writeFile(join(tmp, 'signing.pem'), signing.publicKeyPem);
  const verified = await runCli(['manifest', 'verify', join(tmp, 'proof.json'), '--public-key', join(tmp, 'signing.pem')]);
  expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  // The reviewer sees the review queue.
  expect((await call(keys.reviewer, 'GET', '/v1/review')).status).toBe(200);
  return unrecorded.body.id as string;
}
