// `ledgerline royalties` (revenue, allocation, periods, payouts, statements) and
// `ledgerline ledger verify`, over the same functions as the API.

import { readFile, stat, writeFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { addRevenue, addRevenues, allocatePeriod, closePeriod, correctRevenue, parseMajor, MAX_REVENUE_BATCH, parseRevenueReports, payoutRun, releaseWithheld, statementCsv, statementDsr, statementFor, statementsFor, verifyLedger, type RevenueInput } from '../../royalties/index.ts';
import { act, callerFor, EXIT, parseIntArg, print, withDataOptions, withJson, withRuntime, type GlobalOptions, type Io } from '../context.ts';

type Opts = GlobalOptions & { org: string; json?: boolean };
const org = (c: Command) => c.requiredOption('--org <org>', 'organisation slug or id');
const period = (c: Command) => c.requiredOption('--period <YYYY-MM>', 'the month');

export function royaltiesCommand(io: Io, state: { code: number }): Command {
  const royalties = new Command('royalties').description('revenue, allocation to rights holders, statements, payouts');
  const revenue = royalties.command('revenue').description('revenue reported by services and licensees');
  withJson(withDataOptions(period(org(revenue.command('add')))))
    .description('record revenue: streams of a service (and territory), a training licence, or a generated output')
    .addOption(new Option('--source <source>').choices(['streams', 'licence', 'output']).makeOptionMandatory())
    .requiredOption('--currency <code>', 'ISO 4217')
    .requiredOption('--amount <amount>', 'in major units, e.g. 1234.56')
    .option('--service <name>', 'streams: the service')
    .option('--territory <code>', 'streams: the country (all when left out)')
    .addOption(new Option('--method <method>', 'streams: how money follows plays').choices(['pro_rata', 'user_centric']).default('pro_rata'))
    .option('--licence <id>', 'licence: the licence')
    .addOption(new Option('--by <how>', 'licence: over the manifest tracks equally or by duration').choices(['equal', 'duration']).default('equal'))
    .option('--output <id>', 'output: the attributed output')
    .option('--master-ppm <n>', "output: master's share against composition, ppm", parseIntArg(0, 1_000_000))
    .option('--publishing-ppm <n>', "streams, licence: publishing's share, ppm", parseIntArg(0, 1_000_000))
    .option('--commission-ppm <n>', "the operator's commission, ppm", parseIntArg(0, 1_000_000))
    .option('--key <key>', 'idempotency key (the same key records once)')
    .action(
      act(state, async (o: Opts & { period: string; source: RevenueInput['source']; currency: string; amount: string; service?: string; territory?: string; method: 'pro_rata' | 'user_centric'; licence?: string; by: 'equal' | 'duration'; output?: string; masterPpm?: number; publishingPpm?: number; commissionPpm?: number; key?: string }) =>
        withRuntime(o, async (rt) => {
          const input: RevenueInput = {
            source: o.source,
            period: o.period,
            currency: o.currency,
            amountMinor: parseMajor(o.amount, o.currency),
            service: o.service,
            territory: o.territory,
            method: o.method,
            licenceId: o.licence,
            by: o.by,
            outputId: o.output,
            masterPpm: o.masterPpm,
            publishingPpm: o.publishingPpm,
            commissionPpm: o.commissionPpm,
            key: o.key,
          };
          print(io, o.json, await addRevenue(rt.royalties, await callerFor(rt, o.org), input));
        }),
      ),
    );
  withJson(withDataOptions(org(revenue.command('import'))))
    .description("record a file of revenue reports (one JSON object per line, the API's fields): all of them, or none with the bad line named")
    .argument('<file>', 'NDJSON file of reports')
    .action(
      act(state, async (file: string, o: Opts) =>
        withRuntime(o, async (rt) => {
          // 50,000 reports are a few MB; a file far larger is not a month's reports.
          if ((await stat(file)).size > 64 * 1024 * 1024) {
            io.err(`ledgerline: ${file}: larger than 64 MiB; split it into files of at most ${MAX_REVENUE_BATCH} reports`);
            return EXIT.usage;
          }
          const reports = parseRevenueReports(await readFile(file, 'utf8'), MAX_REVENUE_BATCH);
          const { revenues, recorded } = await addRevenues(rt.royalties, await callerFor(rt, o.org), reports);
          print(io, o.json, { recorded, alreadyRecorded: revenues.length - recorded });
        }),
      ),
    );
  withJson(withDataOptions(period(org(royalties.command('allocate')))))
    .description("allocate the period's revenue down to every rights holder (all of it or none)")
    .action(act(state, async (o: Opts & { period: string }) => withRuntime(o, async (rt) => print(io, o.json, await allocatePeriod(rt.royalties, await callerFor(rt, o.org), o.period)))));
  withJson(withDataOptions(period(org(royalties.command('correct')))))
    .description('correct reported revenue: reverse it and its allocation, record and allocate the right amount, in an open month')
    .requiredOption('--revenue <id>', 'the revenue to correct')
    .requiredOption('--amount <amount>', "the right amount, in major units of the revenue's currency")
    .action(
      act(state, async (o: Opts & { period: string; revenue: string; amount: string }) =>
        withRuntime(o, async (rt) => {
          const caller = await callerFor(rt, o.org);
          const old = await rt.store.repos.royalties.getRevenue(caller.orgId, o.revenue);
          const amountMinor = parseMajor(o.amount, old?.currency ?? 'EUR');
          print(io, o.json, await correctRevenue(rt.royalties, caller, o.revenue, { period: o.period, amountMinor }));
        }),
      ),
    );
  withJson(withDataOptions(period(org(royalties.command('release')))))
    .description("pay out what the period's streams withheld once reviews cleared their findings (posted in the current month when the period is closed)")
    .action(act(state, async (o: Opts & { period: string }) => withRuntime(o, async (rt) => print(io, o.json, await releaseWithheld(rt.royalties, await callerFor(rt, o.org), o.period)))));
  withJson(withDataOptions(period(org(royalties.command('close')))))
    .description('close the period: it changes only through corrections in a later one')
    .action(act(state, async (o: Opts & { period: string }) => withRuntime(o, async (rt) => print(io, o.json, await closePeriod(rt.royalties, await callerFor(rt, o.org), o.period)))));
  withJson(withDataOptions(period(org(royalties.command('payout')))))
    .description('pay every holder whose balance reaches the minimum; once per reference')
    .requiredOption('--reference <ref>', 'the payment run (bank batch) reference')
    .option('--minimum <minor units>', 'smallest balance paid', parseIntArg(0, Number.MAX_SAFE_INTEGER), 0)
    .action(act(state, async (o: Opts & { period: string; reference: string; minimum: number }) => withRuntime(o, async (rt) => print(io, o.json, await payoutRun(rt.royalties, await callerFor(rt, o.org), { period: o.period, reference: o.reference, minimumMinor: o.minimum })))));
  withDataOptions(period(org(royalties.command('statement'))))
    .description("a rights holder's statement (or every holder's, --all): opening balance, lines by source and track, payouts, closing balance")
    .option('--holder <id>', 'the rights holder')
    .option('--all', "every rights holder's statement for the period, one after another")
    .addOption(new Option('--format <format>').choices(['json', 'csv', 'dsr']).default('json'))
    .option('--out <file>', 'write it to a file')
    .action(
      act(state, async (o: Opts & { period: string; holder?: string; all?: boolean; format: 'json' | 'csv' | 'dsr'; out?: string }) =>
        withRuntime(o, async (rt) => {
          if (!o.holder === !o.all) {
            io.err('ledgerline: royalties statement: give --holder ID or --all');
            return EXIT.usage;
          }
          const caller = await callerFor(rt, o.org);
          const statements = o.all ? await statementsFor(rt.royalties, caller, o.period) : [await statementFor(rt.royalties, caller, o.holder!, o.period)];
          const text =
            o.format === 'csv'
              ? statements
                  .map((s, i) => {
                    // One header for the whole file.
                    const csv = statementCsv(s);
                    return i === 0 ? csv : csv.slice(csv.indexOf('\n') + 1);
                  })
                  .join('')
              : o.format === 'dsr'
                ? statements.map((s) => statementDsr(s, o.org)).join('')
                : o.all
                  ? `${JSON.stringify(statements)}\n`
                  : `${JSON.stringify(statements[0])}\n`;
          if (o.out) await writeFile(o.out, text);
          else io.out(text.trimEnd());
        }),
      ),
    );
  return royalties;
}

export function ledgerCommand(io: Io, state: { code: number }): Command {
  const ledger = new Command('ledger').description('the double-entry ledger');
  withJson(withDataOptions(org(ledger.command('verify'))))
    .description('check every entry balances and every kept balance equals its postings (exit 1 when not)')
    .action(
      act(state, async (o: Opts) =>
        withRuntime(o, async (rt) => {
          const check = await verifyLedger(rt.royalties, await callerFor(rt, o.org));
          print(io, o.json, check);
          return check.ok ? EXIT.ok : EXIT.failure;
        }),
      ),
    );
  return ledger;
}
