// `ledgerline ddex import|export`: ERN messages into the catalog, and a release out as ERN 4.3.

import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { exportDdex, importDdex, MAX_DDEX_BYTES, type DdexImportReport } from '../../catalog/ddex/index.ts';
import { resolveOrganisation } from '../../catalog/index.ts';
import { isLedgerlineError } from '../../shared/index.ts';
import { act, cliActor, EXIT, progress, withDataOptions, withJson, withRuntime, type GlobalOptions, type Io } from '../context.ts';
import { readSmallFile } from '../files.ts';

export function ddexCommand(io: Io, state: { code: number }): Command {
  const ddex = new Command('ddex').description('DDEX ERN release messages');
  withJson(withDataOptions(ddex.command('import').argument('<files...>', 'ERN 3.4-3.8 or 4.x NewReleaseMessage files')))
    .description('import releases, recordings, parties, deals and AI disclosure; one line per file; re-importing updates in place')
    .requiredOption('--org <org>', 'organisation slug or id')
    .action(
      act(state, async (files: string[], o: GlobalOptions & { org: string }) =>
        withRuntime(o, async (rt) => {
          const org = await resolveOrganisation(rt, o.org);
          const tick = progress(io, 'importing messages');
          let failed = 0;
          for (const [i, file] of files.entries()) {
            try {
              const report: DdexImportReport = await importDdex(rt, { orgId: org.id, actor: cliActor() }, await readSmallFile(file, MAX_DDEX_BYTES));
              if (o.json) io.out(JSON.stringify({ file, ...report }));
              else {
                io.out(`${file}: ERN ${report.version} message ${report.messageId || '(no id)'}: ${report.releases.length} release(s), ${report.tracks.length} track(s), ${report.warnings.length} warning(s)`);
                for (const w of report.warnings) io.out(`  line ${w.line} <${w.element}>: ${w.message}`);
              }
            } catch (err) {
              if (!isLedgerlineError(err)) throw err;
              failed++;
              if (o.json) io.out(JSON.stringify({ file, error: { code: err.code, message: err.message, details: err.details ?? null } }));
              else io.err(`${file}: ${err.message} [${err.code}]`);
            }
            tick(i + 1, files.length);
          }
          return failed === 0 ? EXIT.ok : failed === files.length ? EXIT.usage : EXIT.failure;
        }),
      ),
    );
  withDataOptions(ddex.command('export'))
    .description('write a release as an ERN 4.3 NewReleaseMessage (AI disclosure included) to stdout or --out')
    .requiredOption('--org <org>', 'organisation slug or id')
    .requiredOption('--release <id>', 'the release')
    .requiredOption('--sender-dpid <dpid>', 'your DDEX Party ID (PADPIDA…)')
    .requiredOption('--sender-name <name>', 'your name')
    .requiredOption('--recipient-dpid <dpid>', "the recipient's DDEX Party ID")
    .requiredOption('--recipient-name <name>', "the recipient's name")
    .option('--out <file>', 'write here instead of stdout')
    .action(
      act(state, async (o: GlobalOptions & { org: string; release: string; senderDpid: string; senderName: string; recipientDpid: string; recipientName: string; out?: string }) =>
        withRuntime(o, async (rt) => {
          const org = await resolveOrganisation(rt, o.org);
          const xml = await exportDdex(rt, { orgId: org.id, actor: cliActor() }, o.release, {
            sender: { dpid: o.senderDpid, name: o.senderName },
            recipient: { dpid: o.recipientDpid, name: o.recipientName },
          });
          if (o.out) await writeFile(o.out, xml);
          else io.out(xml);
        }),
      ),
    );
  return ddex;
}
