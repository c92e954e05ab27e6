// `ledgerline licensee|license|dataset|manifest`: licensees and licenses, dataset requests that
// write a signed manifest, and the offline tools an artist or auditor uses on a manifest: an
// inclusion (or non-inclusion) proof, and verification with nothing but the public key.

import { writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { resolveOrganisation } from '../../catalog/index.ts';
import {
  createLicense,
  createLicensee,
  LicensingErrors,
  listLicensees,
  proveIsrc,
  publicKeys,
  rotateSigningKey,
  requestDataset,
  verifyManifest,
  verifyProof,
  type Fee,
  type Manifest,
} from '../../licensing/index.ts';
import { LedgerlineError } from '../../shared/index.ts';
import { act, cliActor, EXIT, print, withDataOptions, withJson, withRuntime, type GlobalOptions, type Io } from '../context.ts';
import { readSmallFile } from '../files.ts';

const MAX_MANIFEST_BYTES = 512 * 1024 * 1024;
const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

function fee(value: string): Fee {
  const m = /^([A-Z]{3}):(\d+):(track|dataset)$/.exec(value);
  if (!m) throw new InvalidArgumentError('expected CURRENCY:MINOR_UNITS:track|dataset, e.g. EUR:150:track');
  return { currency: m[1]!, amountMinor: Number(m[2]), per: m[3] as Fee['per'] };
}

async function readJson(file: string, what: string, limit = MAX_MANIFEST_BYTES): Promise<unknown> {
  const raw = await readSmallFile(file, limit);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw new LedgerlineError(LicensingErrors.BAD_DOCUMENT, `${file}: not a JSON ${what}: ${(e as Error).message}`, { file });
  }
}

export function licensingCommands(io: Io, state: { code: number }): Command[] {
  const licensee = new Command('licensee').description('AI developers who license recordings');
  withJson(withDataOptions(licensee.command('create')))
    .requiredOption('--org <org>', 'organisation slug or id')
    .requiredOption('--slug <slug>', 'short name consent terms refer to')
    .requiredOption('--name <name>', 'full name')
    .action(
      act(state, async (o: GlobalOptions & { org: string; slug: string; name: string }) =>
        withRuntime(o, async (rt) => {
          const org = await resolveOrganisation(rt, o.org);
          print(io, o.json, await createLicensee(rt.licensing, { orgId: org.id, actor: cliActor() }, { slug: o.slug, name: o.name }));
        }),
      ),
    );
  withJson(withDataOptions(licensee.command('list')))
    .requiredOption('--org <org>', 'organisation slug or id')
    .action(
      act(state, async (o: GlobalOptions & { org: string }) =>
        withRuntime(o, async (rt) => {
          const org = await resolveOrganisation(rt, o.org);
          print(io, o.json, await listLicensees(rt.licensing, org.id));
        }),
      ),
    );

  const license = new Command('license').description('licenses granted to licensees');
  withJson(withDataOptions(license.command('create')))
    .requiredOption('--org <org>', 'organisation slug or id')
    .requiredOption('--licensee <slug>', 'licensee slug or id')
    .requiredOption('--uses <list>', 'comma-separated uses', list)
    .requiredOption('--territories <list>', 'comma-separated ISO 3166-1 codes or Worldwide', list)
    .option('--purpose <purpose>', 'research | commercial')
    .option('--valid-from <instant>', 'start (default now)')
    .option('--valid-until <instant>', 'end (default open)')
    .option('--fee <fee>', 'CURRENCY:MINOR_UNITS:track|dataset', fee)
    .action(
      act(state, async (o: GlobalOptions & { org: string; licensee: string; uses: string[]; territories: string[]; purpose?: string; validFrom?: string; validUntil?: string; fee?: Fee }) =>
        withRuntime(o, async (rt) => {
          const org = await resolveOrganisation(rt, o.org);
          print(io, o.json, await createLicense(rt.licensing, { orgId: org.id, actor: cliActor() }, { ...o, licensee: o.licensee }));
        }),
      ),
    );

  const dataset = new Command('dataset').description('dataset requests under a license');
  withJson(withDataOptions(dataset.command('request')))
    .description('issue a signed manifest of exactly the recordings whose consent allows the use for the licensee now')
    .requiredOption('--org <org>', 'organisation slug or id')
    .requiredOption('--license <id>', 'the license')
    .requiredOption('--use <use>', 'the use')
    .requiredOption('--territory <code>', 'where the use happens')
    .option('--genre <genre>', 'only this genre')
    .option('--exclude-ai', 'leave out recordings disclosed as containing AI')
    .requiredOption('--out <file>', 'write the manifest here')
    .action(
      act(state, async (o: GlobalOptions & { org: string; license: string; use: string; territory: string; genre?: string; excludeAi?: boolean; out: string }) =>
        withRuntime(o, async (rt) => {
          const org = await resolveOrganisation(rt, o.org);
          const answer = await requestDataset(rt.licensing, { orgId: org.id, actor: cliActor(), role: 'operator', subjectId: null }, o.license, {
            use: o.use,
            territory: o.territory,
            filters: { ...(o.genre ? { genre: o.genre } : {}), ...(o.excludeAi ? { excludeAi: true } : {}) },
          });
          await writeFile(o.out, JSON.stringify(answer.manifest, null, 1));
          const h = answer.manifest.header;
          print(io, o.json, { manifest: h.id, file: o.out, count: h.count, root: h.root, keyId: h.keyId, excluded: answer.excluded });
        }),
      ),
    );

  const manifest = new Command('manifest').description('training-data manifests: proofs and offline verification');
  withJson(manifest.command('proof').argument('<manifest>', 'manifest JSON file').argument('<isrc>', 'the recording'))
    .description('an inclusion proof for the ISRC, or the proof that it is not in the manifest (offline)')
    .option('--out <file>', 'write the proof here instead of stdout')
    .action(
      act(state, async (file: string, isrc: string, o: { json?: boolean; out?: string }) => {
        const m = (await readJson(file, 'manifest')) as Manifest;
        if (!m?.header || !Array.isArray(m.entries)) throw new LedgerlineError(LicensingErrors.BAD_DOCUMENT, `${file}: not a manifest (no header or entries)`, { file });
        const proof = proveIsrc(m, isrc.replace(/-/g, '').toUpperCase());
        const text = JSON.stringify(proof, null, 1);
        if (o.out) await writeFile(o.out, text);
        else io.out(text);
        if (!o.json && o.out) io.err(`${proof.kind} proof for ${proof.isrc} written to ${o.out}`);
      }),
    );
  withJson(manifest.command('verify').argument('<file>', 'a manifest or a proof'))
    .description('check a manifest or proof and its signature with only the public key (offline); exit 1 says what failed')
    .requiredOption('--public-key <pem>', "the server's Ed25519 public key (PEM), from `manifest public-key` or GET /v1/signing-keys")
    .action(
      act(state, async (file: string, o: { json?: boolean; publicKey: string }) => {
        const doc = (await readJson(file, 'manifest or proof')) as { kind?: unknown };
        const pem = (await readSmallFile(o.publicKey, 64 * 1024)).toString('utf8');
        const v = typeof doc?.kind === 'string' ? verifyProof(doc, pem) : verifyManifest(doc, pem);
        if (o.json) io.out(JSON.stringify(v));
        else for (const c of v.checks) io.out(`${c.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${c.detail}`);
        return v.ok ? EXIT.ok : EXIT.failure;
      }),
    );
  withDataOptions(manifest.command('public-key'))
    .description("print the server's current Ed25519 public key (PEM)")
    .option('--out <file>', 'write it here instead of stdout')
    .action(
      act(state, async (o: GlobalOptions & { out?: string }) =>
        withRuntime(o, async (rt) => {
          const [key] = await publicKeys(rt.licensing);
          if (o.out) await writeFile(o.out, key!.publicKeyPem);
          else io.out(key!.publicKeyPem);
        }),
      ),
    );
  withJson(withDataOptions(manifest.command('rotate-key')))
    .description('make a new signing key the current one (a new key file); manifests signed before keep verifying under their published keys')
    .action(
      act(state, async (o: GlobalOptions & { json?: boolean }) =>
        withRuntime(o, async (rt) => {
          const key = await rotateSigningKey(rt.licensing, cliActor());
          print(io, o.json, { keyId: key.id, where: rt.licensing.keys.describe() });
        }),
      ),
    );
  return [licensee, license, dataset, manifest];
}
