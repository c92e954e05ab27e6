// `ledgerline org create|list`: organisations are created by whoever runs the service.

import { Command } from 'commander';
import { createOrganisation, listOrganisations } from '../../catalog/index.ts';
import { act, cliActor, print, withDataOptions, withJson, withRuntime, type Io } from '../context.ts';

export function orgCommand(io: Io, state: { code: number }): Command {
  const org = new Command('org').description('organisations');
  withJson(withDataOptions(org.command('create').argument('<slug>', 'short name: a-z, 0-9, -').requiredOption('--name <name>', 'display name')))
    .description('create an organisation')
    .action(
      act(state, async (slug: string, o: { name: string; json?: boolean; data?: string; database?: string }) =>
        withRuntime(o, async (rt) => print(io, o.json, await createOrganisation(rt, cliActor(), { slug, name: o.name }))),
      ),
    );
  withJson(withDataOptions(org.command('list')))
    .description('list organisations')
    .action(act(state, async (o: { json?: boolean; data?: string; database?: string }) => withRuntime(o, async (rt) => print(io, o.json, await listOrganisations(rt)))));
  return org;
}
