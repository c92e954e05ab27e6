// `ledgerline keys create|list|revoke`: API keys per organisation and role. A new key is printed
// once and cannot be shown again.

import { Command } from 'commander';
import { createApiKey, publicKeyView, revokeApiKey } from '../../auth/index.ts';
import { resolveOrganisation } from '../../catalog/index.ts';
import { act, cliActor, print, withDataOptions, withJson, withRuntime, type GlobalOptions, type Io } from '../context.ts';

type Opts = GlobalOptions & { org: string };

export function keysCommand(io: Io, state: { code: number }): Command {
  const keys = new Command('keys').description('API keys');
  withJson(withDataOptions(keys.command('create')))
    .description('create an API key (shown once)')
    .requiredOption('--org <org>', 'organisation slug or id')
    .requiredOption('--role <role>', 'operator | reviewer | rights_holder | artist | licensee')
    .option('--name <name>', 'a label for the key')
    .option('--subject <id>', 'the rights holder, artist or licensee a rights_holder, artist or licensee key speaks for')
    .action(
      act(state, async (o: Opts & { role: string; name?: string; subject?: string }) =>
        withRuntime(o, async (rt) => {
          const org = await resolveOrganisation(rt, o.org);
          const k = await createApiKey(rt.store, rt.clock, cliActor(), { orgId: org.id, role: o.role, name: o.name, subjectId: o.subject ?? null });
          if (o.json) return print(io, true, k);
          io.out(`${k.key}\n`);
          io.err(`created ${k.role} key ${k.id} for ${org.slug}; it is shown only now, store it safely`);
        }),
      ),
    );
  withJson(withDataOptions(keys.command('list')))
    .description('list API keys (never their secrets)')
    .requiredOption('--org <org>', 'organisation slug or id')
    .action(
      act(state, async (o: Opts) =>
        withRuntime(o, async (rt) => {
          const org = await resolveOrganisation(rt, o.org);
          print(io, o.json, (await rt.store.repos.auth.listKeys(org.id)).map(publicKeyView));
        }),
      ),
    );
  withJson(withDataOptions(keys.command('revoke')))
    .description('revoke an API key')
    .argument('<id>', 'key id')
    .requiredOption('--org <org>', 'organisation slug or id')
    .action(
      act(state, async (id: string, o: Opts) =>
        withRuntime(o, async (rt) => {
          const org = await resolveOrganisation(rt, o.org);
          await revokeApiKey(rt.store, rt.clock, cliActor(), org.id, id);
          print(io, o.json, { revoked: id });
        }),
      ),
    );
  return keys;
}
