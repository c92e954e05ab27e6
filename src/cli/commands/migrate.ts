// `ledgerline migrate`: apply pending migrations and exit (serve and worker also do it at start).

import { Command } from 'commander';
import { act, print, withDataOptions, withJson, withRuntime, type GlobalOptions, type Io } from '../context.ts';

export function migrateCommand(io: Io, state: { code: number }): Command {
  return withJson(withDataOptions(new Command('migrate')))
    .description('apply pending database migrations')
    .action(act(state, async (o: GlobalOptions) => withRuntime(o, async (rt) => print(io, o.json, { engine: rt.store.engine, location: rt.store.location, migrated: true }))));
}
