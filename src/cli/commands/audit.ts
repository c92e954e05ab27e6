// `ledgerline audit verify|list`: check the hash chain; read an organisation's entries.

import { Command } from 'commander';
import { verifyAudit } from '../../audit/index.ts';
import { resolveOrganisation } from '../../catalog/index.ts';
import { act, EXIT, parseIntArg, print, withDataOptions, withJson, withRuntime, type GlobalOptions, type Io } from '../context.ts';

export function auditCommand(io: Io, state: { code: number }): Command {
  const audit = new Command('audit').description('the append-only, hash-chained audit log');
  withJson(withDataOptions(audit.command('verify')))
    .description('verify the whole chain; exit 1 and name the first broken entry if it does not hold')
    .action(
      act(state, async (o: GlobalOptions) =>
        withRuntime(o, async (rt) => {
          const v = await verifyAudit(rt.store.repos.audit);
          if (o.json) io.out(JSON.stringify(v));
          else if (v.ok) io.out(`audit chain intact: ${v.checked} entries, head ${v.headHash}`);
          else io.out(`audit chain BROKEN at entry ${v.firstBroken!.seq}: ${v.firstBroken!.message} (${v.checked} entries before it hold)`);
          return v.ok ? EXIT.ok : EXIT.failure;
        }),
      ),
    );
  withJson(withDataOptions(audit.command('list')))
    .description("list an organisation's audit entries")
    .requiredOption('--org <org>', 'organisation slug or id')
    .option('--after <seq>', 'entries after this sequence number', parseIntArg(0, Number.MAX_SAFE_INTEGER), 0)
    .option('--limit <n>', 'at most this many', parseIntArg(1, 1000), 100)
    .action(
      act(state, async (o: GlobalOptions & { org: string; after: number; limit: number }) =>
        withRuntime(o, async (rt) => {
          const org = await resolveOrganisation(rt, o.org);
          print(io, o.json, await rt.store.repos.audit.readAfter(o.after, o.limit, org.id));
        }),
      ),
    );
  return audit;
}
