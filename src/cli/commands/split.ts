// `ledgerline split show|set`: a track's master and publishing splits, exact to 4 decimals of a
// percent; `set` replaces one split and refuses shares that do not sum to 100%.

import { Command, InvalidArgumentError } from 'commander';
import { getSplits, ppmToPercent, resolveOrganisation, setSplit, type ShareInput, type TrackSplits } from '../../catalog/index.ts';
import { CommonErrors, LedgerlineError } from '../../shared/index.ts';
import { act, cliActor, print, withDataOptions, withJson, withRuntime, type GlobalOptions, type Io } from '../context.ts';

function share(value: string, previous: ShareInput[] = []): ShareInput[] {
  const m = /^([^=:]+)=([^:]+)(?::(.+))?$/.exec(value);
  if (!m) throw new InvalidArgumentError('expected RIGHTS_HOLDER_ID=PERCENT[:ROLE]');
  return [...previous, { rightsHolderId: m[1]!, percent: m[2]!, role: m[3] ?? null }];
}

const view = (s: TrackSplits) => ({
  trackId: s.trackId,
  master: s.master.map((x) => ({ rightsHolderId: x.rightsHolderId, role: x.role, percent: ppmToPercent(x.sharePpm) })),
  publishing: s.publishing.map((x) => ({ rightsHolderId: x.rightsHolderId, role: x.role, percent: ppmToPercent(x.sharePpm) })),
});

export function splitCommand(io: Io, state: { code: number }): Command {
  const split = new Command('split').description('master and publishing splits');
  withJson(withDataOptions(split.command('show').argument('<trackId>')))
    .requiredOption('--org <org>', 'organisation slug or id')
    .action(
      act(state, async (trackId: string, o: GlobalOptions & { org: string }) =>
        withRuntime(o, async (rt) => {
          const org = await resolveOrganisation(rt, o.org);
          print(io, o.json, view(await getSplits(rt, { orgId: org.id, actor: cliActor() }, trackId)));
        }),
      ),
    );
  withJson(withDataOptions(split.command('set').argument('<trackId>')))
    .description('replace a split: --share ID=PERCENT[:ROLE], repeated; no --share clears it')
    .requiredOption('--org <org>', 'organisation slug or id')
    .requiredOption('--kind <kind>', 'master | publishing')
    .option('--share <id=percent[:role]>', 'one share', share)
    .action(
      act(state, async (trackId: string, o: GlobalOptions & { org: string; kind: string; share?: ShareInput[] }) =>
        withRuntime(o, async (rt) => {
          if (o.kind !== 'master' && o.kind !== 'publishing') {
            throw new LedgerlineError(CommonErrors.BAD_INPUT, `--kind must be master or publishing, not "${o.kind}"`);
          }
          const org = await resolveOrganisation(rt, o.org);
          print(io, o.json, view(await setSplit(rt, { orgId: org.id, actor: cliActor() }, trackId, o.kind, o.share ?? [])));
        }),
      ),
    );
  return split;
}
