// `ledgerline streams` (events in, scans for artificial streaming, review, retention) and
// `ledgerline privacy` (listeners' rights, pseudonym epochs), over the same functions as the API.

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { eraseListener, exportListener, KeyedPseudonyms, PURPOSES, setListenerConsent } from '../../privacy/index.ts';
import { applyRetention, ingestStreams, listFindings, MAX_EVENTS_PER_BATCH, reviewFinding, scanStreams, type FindingStatus, type IngestReport } from '../../streams/index.ts';
import { LedgerlineError, CommonErrors } from '../../shared/index.ts';
import { act, callerFor, EXIT, parseIntArg, print, printTable, withDataOptions, withJson, withRuntime, type GlobalOptions, type Io } from '../context.ts';

type Opts = GlobalOptions & { org: string; json?: boolean };
const org = (c: Command) => c.requiredOption('--org <org>', 'organisation slug or id');
/** A file this large is not one partner's export to take in one go. */
const MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024;

/** The file cut into batches of at most MAX_EVENTS_PER_BATCH lines (CSV batches each keep the header). */
function* batches(text: string, csv: boolean): Generator<{ body: string; firstLine: number }> {
  const lines = text.split('\n');
  const header = csv ? lines.shift() ?? '' : null;
  const offset = csv ? 1 : 0;
  for (let i = 0; i < lines.length; i += MAX_EVENTS_PER_BATCH) {
    const part = lines.slice(i, i + MAX_EVENTS_PER_BATCH).join('\n');
    yield { body: header === null ? part : `${header}\n${part}`, firstLine: i + offset };
  }
}

export function streamsCommand(io: Io, state: { code: number }): Command {
  const streams = new Command('streams').description('stream events: import, scans for artificial streaming, review, retention');
  withJson(withDataOptions(org(streams.command('import').argument('<file>', 'NDJSON (one event per line) or CSV with a header row (.csv)'))))
    .description('take stream events from a file; listener and client identifiers are pseudonymised before anything is stored')
    .action(
      act(state, async (file: string, o: Opts) => {
        const size = (await stat(file).catch(() => null))?.size;
        if (size === undefined) throw new LedgerlineError(CommonErrors.BAD_INPUT, `no file ${file}`);
        if (size > MAX_FILE_BYTES) throw new LedgerlineError(CommonErrors.BAD_INPUT, `${file} is larger than 2 GiB: split it`);
        const csv = file.toLowerCase().endsWith('.csv');
        const text = await readFile(file, 'utf8');
        return withRuntime(o, async (rt) => {
          const deps = await rt.streams();
          const caller = await callerFor(rt, o.org);
          const total: IngestReport = { received: 0, accepted: 0, duplicates: 0, unknownIsrcs: { count: 0, sample: [] }, errors: [] };
          const unknown = new Set<string>();
          for (const b of batches(text, csv)) {
            const r = await ingestStreams(deps, caller, b.body, csv ? 'csv' : 'ndjson');
            total.received += r.received;
            total.accepted += r.accepted;
            total.duplicates += r.duplicates;
            for (const i of r.unknownIsrcs.sample) unknown.add(i);
            total.unknownIsrcs.count += r.unknownIsrcs.count;
            for (const e of r.errors) total.errors.push({ line: e.line + b.firstLine, error: e.error });
          }
          total.unknownIsrcs.sample = [...unknown].sort().slice(0, 20);
          if (o.json) io.out(JSON.stringify(total));
          else {
            io.out(`received ${total.received}, accepted ${total.accepted}, duplicates ${total.duplicates}, unknown ISRCs ${total.unknownIsrcs.count}, lines refused ${total.errors.length}`);
            for (const e of total.errors.slice(0, 50)) io.err(`line ${e.line}: ${e.error}`);
          }
          return total.errors.length > 0 ? EXIT.failure : EXIT.ok;
        });
      }),
    );
  withJson(withDataOptions(org(streams.command('scan'))))
    .description('scan a period for artificial streaming; findings are stored for review and their streams earn nothing unless cleared')
    .requiredOption('--from <date>', 'start of the period, inclusive')
    .requiredOption('--to <date>', 'end of the period, exclusive')
    .action(
      act(state, async (o: Opts & { from: string; to: string }) =>
        withRuntime(o, async (rt) => {
          const r = await scanStreams(await rt.streams(), await callerFor(rt, o.org), { from: o.from, to: o.to });
          if (o.json) io.out(JSON.stringify({ findings: r.findings.map((f) => ({ kind: f.kind, accounts: f.accounts, tracks: f.tracks, streams: f.streams, evidence: f.evidence })), flaggedEventIds: r.flaggedEventIds }));
          else printTable(io, false, r.findings.map((f) => ({ id: f.id, kind: f.kind, accounts: f.accounts.length, tracks: f.tracks.length, streams: f.streams, status: f.status })), ['id', 'kind', 'accounts', 'tracks', 'streams', 'status']);
        }),
      ),
    );
  withJson(withDataOptions(org(streams.command('findings'))))
    .description('stored findings, newest first')
    .addOption(new Option('--status <status>').choices(['open', 'cleared', 'confirmed']))
    .option('--limit <n>', 'at most this many', parseIntArg(1, 500), 100)
    .action(
      act(state, async (o: Opts & { status?: FindingStatus; limit: number }) =>
        withRuntime(o, async (rt) => {
          const rows = await listFindings(await rt.streams(), await callerFor(rt, o.org), { status: o.status, limit: o.limit });
          printTable(io, o.json, o.json ? rows : rows.map((f) => ({ ...f, accounts: f.accounts.length, tracks: f.tracks.length })), ['id', 'kind', 'status', 'accounts', 'tracks', 'streams', 'periodFrom', 'periodTo']);
        }),
      ),
    );
  withJson(withDataOptions(org(streams.command('review').argument('<finding id>'))))
    .description('clear a finding (its streams count again) or confirm it; kept in the audit log')
    .addOption(new Option('--decision <decision>').choices(['clear', 'confirm']).makeOptionMandatory())
    .option('--note <text>', 'why')
    .action(act(state, async (id: string, o: Opts & { decision: 'clear' | 'confirm'; note?: string }) => withRuntime(o, async (rt) => print(io, o.json, await reviewFinding(await rt.streams(), await callerFor(rt, o.org), id, o.decision, o.note ?? null)))));
  withJson(withDataOptions(org(streams.command('retain'))))
    .description('fold events older than the retention window (LEDGERLINE_STREAM_RETENTION_DAYS, default 90) into daily aggregates and delete them')
    .action(act(state, async (o: Opts) => withRuntime(o, async (rt) => print(io, o.json, await applyRetention(await rt.streams(), await callerFor(rt, o.org))))));
  return streams;
}

export function privacyCommand(io: Io, state: { code: number }): Command {
  const privacy = new Command('privacy').description("listeners' rights: export, erasure, consents; pseudonym epochs");
  const listener = (c: Command) => c.requiredOption('--listener <id>', 'the identifier the service knows the listener by (hashed at once, never stored)');
  withDataOptions(org(listener(privacy.command('export'))))
    .description('everything held about a listener, as JSON (GDPR art. 15 and 20)')
    .action(act(state, async (o: Opts & { listener: string }) => withRuntime(o, async (rt) => io.out(JSON.stringify(await exportListener(await rt.streams(), await callerFor(rt, o.org), o.listener))))));
  withJson(withDataOptions(org(listener(privacy.command('erase')))))
    .description("erase a listener's events and consents and unlink them from findings (GDPR art. 17)")
    .action(act(state, async (o: Opts & { listener: string }) => withRuntime(o, async (rt) => print(io, o.json, await eraseListener(await rt.streams(), await callerFor(rt, o.org), o.listener)))));
  withJson(withDataOptions(org(listener(privacy.command('consent')))))
    .description(`record a listener's consent to a purpose (${PURPOSES.join(', ')}); none recorded means not allowed`)
    .addOption(new Option('--purpose <purpose>').choices([...PURPOSES]).makeOptionMandatory())
    .addOption(new Option('--state <state>').choices(['allowed', 'not_allowed']).makeOptionMandatory())
    .action(act(state, async (o: Opts & { listener: string; purpose: string; state: string }) => withRuntime(o, async (rt) => print(io, o.json, await setListenerConsent(await rt.streams(), await callerFor(rt, o.org), o.listener, o.purpose, o.state === 'allowed')))));
  withJson(withDataOptions(privacy.command('rotate')))
    .description('start a new pseudonym epoch: events from now on cannot be linked to earlier ones (the old secrets stay, for subject-rights requests)')
    .action(
      act(state, async (o: GlobalOptions & { json?: boolean }) =>
        withRuntime(o, async (rt) => {
          const current = await rt.streams();
          const dir = join(rt.keysDir, 'listener-keys');
          const next = await KeyedPseudonyms.rotate(dir);
          print(io, o.json, { from: current.pseudonyms.epoch, epoch: next.epoch });
        }),
      ),
    );
  return privacy;
}
