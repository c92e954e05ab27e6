// `ledgerline catalog import FILE.json`: bulk-load artists, rights holders, releases, tracks and
// splits; progress on stderr; safe to re-run after an interruption.

import { Command } from 'commander';
import { importCatalog, resolveOrganisation } from '../../catalog/index.ts';
import { CommonErrors, LedgerlineError } from '../../shared/index.ts';
import { addCatalogAddCommand } from './fingerprint.ts';
import { act, cliActor, print, progress, withDataOptions, withJson, withRuntime, type GlobalOptions, type Io } from '../context.ts';
import { readSmallFile } from '../files.ts';

const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;

async function readDocument(file: string): Promise<unknown> {
  const text = (await readSmallFile(file, MAX_DOCUMENT_BYTES, 'split the import')).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LedgerlineError(CommonErrors.BAD_INPUT, `${file}: not valid JSON: ${(err as Error).message}`, { file });
  }
}

export function catalogCommand(io: Io, state: { code: number }): Command {
  const catalog = new Command('catalog').description('the catalog as a whole');
  withJson(withDataOptions(catalog.command('import').argument('<file>', 'catalog JSON document (see docs/catalog-import.md)')))
    .description('import artists, rights holders, releases, tracks and splits; tracks already present (same ISRC) are skipped')
    .requiredOption('--org <org>', 'organisation slug or id')
    .action(
      act(state, async (file: string, o: GlobalOptions & { org: string }) => {
        const doc = await readDocument(file);
        return withRuntime(o, async (rt) => {
          const org = await resolveOrganisation(rt, o.org);
          const report = await importCatalog(rt, { orgId: org.id, actor: cliActor() }, doc, progress(io, 'importing tracks'));
          print(io, o.json, report);
        });
      }),
    );
  addCatalogAddCommand(catalog, io, state);
  return catalog;
}
