// Where webhooks may go, and how a receiver knows a delivery is ours: internal addresses refused
// in every spelling and after name resolution (an operator's allow-list excepted), deliveries
// pinned to the address checked, credentials never shown back.

import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, guardedSender, isInternalAddress, redactUrl, resolveTarget } from '../../src/screening/index.ts';

const none = { allow: [] as string[] };
const refused = (url: string, policy = none) => {
  try {
    checkWebhookUrl(url, policy);
    return 'accepted';
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe('webhook targets', () => {
  it('refuses loopback, private, link-local and metadata addresses however they are written', () => {
    for (const url of [
      'http://127.0.0.1:8080/',
      'http://localhost/hook',
      'http://api.localhost/',
      'http://[::1]/',
      'http://2130706433/',
      'http://0x7f.0.0.1/',
      'http://127.1/',
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:7f00:1]/',
      'http://10.1.2.3/',
      'http://192.168.1.1/',
      'http://172.20.0.1/',
      'http://100.64.0.1/',
      'http://[fd00::1]/',
      'http://[fe80::1]/',
      'http://0.0.0.0/',
      'http://metadata.internal/',
      'ftp://example.com/',
      'not a url',
    ]) {
      expect(refused(url), url).toMatch(/^LL_SCREENING_BAD_WEBHOOK$/);
    }
    expect(refused('https://hooks.example.com/ledgerline')).toBe('accepted');
    expect(refused('http://93.184.216.34/h')).toBe('accepted');
    // An operator's own systems, allowed by name or range.
    expect(refused('http://127.0.0.1:9000/h', { allow: ['127.0.0.1'] })).toBe('accepted');
    expect(refused('http://10.1.2.3/h', { allow: ['10.0.0.0/8'] })).toBe('accepted');
    expect(isInternalAddress('64:ff9b::7f00:1')).toBe(true);
    expect(isInternalAddress('2606:4700::1111')).toBe(false);
  });

  it('checks what a name resolves to, every address of it', async () => {
    const fake = (answers: Record<string, string[]>) => async (h: string) => (answers[h] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    const dns = fake({ 'rebind.example': ['93.184.216.34', '127.0.0.1'], 'ok.example': ['93.184.216.34'], 'v6.example': ['::1'] });
    await expect(resolveTarget('rebind.example', none, dns)).rejects.toMatchObject({ message: expect.stringMatching(/resolves to internal address 127.0.0.1/) });
    await expect(resolveTarget('v6.example', none, dns)).rejects.toMatchObject({ code: 'LL_SCREENING_BAD_WEBHOOK' });
    await expect(resolveTarget('nowhere.example', none, dns)).rejects.toMatchObject({ message: expect.stringMatching(/does not resolve/) });
    expect(await resolveTarget('ok.example', none, dns)).toEqual({ address: '93.184.216.34', family: 4 });
  });

  it('sends only where the check allows: a delivery to this machine fails unless allowed', async () => {
    const got: string[] = [];
    const server = createServer((req, res) => {
      got.push(req.headers['x-ledgerline-signature'] as string);
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://localhost:${(server.address() as { port: number }).port}/h`;
      const req = { url, headers: { 'x-ledgerline-signature': 'v1=abc' }, body: '{}', timeoutMs: 2000 };
      await expect(guardedSender(none)(req)).rejects.toMatchObject({ code: 'LL_SCREENING_BAD_WEBHOOK' });
      expect(got).toEqual([]);
      expect(await guardedSender({ allow: ['localhost'] })(req)).toEqual({ status: 204 });
      expect(got).toEqual(['v1=abc']);
    } finally {
      server.close();
    }
  });

  it('never shows a webhook URL\'s credentials back', () => {
    expect(redactUrl('https://user:s3cret@hooks.example.com/h?x=1')).toBe('https://redacted@hooks.example.com/h?x=1');
    expect(redactUrl('https://hooks.example.com/h')).toBe('https://hooks.example.com/h');
  });
});

describe('the upload blob store', () => {
  it('removes pieces a killed write left behind once they are an hour old, and nothing else', async () => {
    const { mkdtemp, writeFile, utimes, readdir, mkdir } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { directoryBlobStore } = await import('../../src/screening/index.ts');
    const dir = await mkdtemp(join(tmpdir(), 'll-blobs-'));
    const blobs = directoryBlobStore(dir);
    const { hash } = await blobs.put(new Uint8Array([1, 2, 3]));
    await mkdir(join(dir, hash.slice(0, 2)), { recursive: true });
    const old = join(dir, hash.slice(0, 2), `${hash}.123.abc.part`);
    const fresh = join(dir, hash.slice(0, 2), `${hash}.456.def.part`);
    await writeFile(old, 'half');
    await writeFile(fresh, 'half');
    const twoHoursAgo = (Date.now() - 2 * 3_600_000) / 1000;
    await utimes(old, twoHoursAgo, twoHoursAgo);
    expect(await blobs.removeStale(Date.now(), 3_600_000)).toBe(1);
    expect((await readdir(join(dir, hash.slice(0, 2)))).sort()).toEqual([hash, `${hash}.456.def.part`].sort());
  });
});
