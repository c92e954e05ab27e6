// `ledgerline artist|rights-holder|release|track add|list|show|update|remove`: catalog CRUD
// from the shell, one noun per entity, the same functions the API calls.

import { Command, Option } from 'commander';
import * as catalog from '../../catalog/index.ts';
import { addTrackAudioCommand } from './track-audio.ts';
import { act, callerFor, parseIntArg, print, printTable, withDataOptions, withJson, withRuntime, type GlobalOptions, type Io } from '../context.ts';

interface Field {
  flag: string;
  key: string;
  description: string;
  required?: boolean;
  /** Converts the option's text; throws for a bad value. */
  parse?: (v: string) => unknown;
}

interface EntitySpec {
  noun: string;
  plural: string;
  fields: Field[];
  /** Boolean switches (--verified / --no-verified). */
  switches?: Array<{ name: string; key: string; description: string }>;
  /** The fields `list` shows as columns (all of them with --json). */
  columns: string[];
  /** Inputs are assembled from options field by field; the catalog checks them. */
  ops: catalog.EntityOps<unknown, Record<string, unknown>>;
}

type Opts = GlobalOptions & { org: string } & Record<string, unknown>;

function collect(spec: EntitySpec, o: Opts, forCreate: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of spec.fields) {
    const v = o[f.key];
    if (v !== undefined) out[f.key] = v;
  }
  for (const s of spec.switches ?? []) {
    if (o[s.key] !== undefined) out[s.key] = o[s.key];
    else if (forCreate) out[s.key] = false;
  }
  return out;
}

function entityCommand(io: Io, state: { code: number }, spec: EntitySpec): Command {
  const cmd = new Command(spec.noun).description(spec.plural);
  const org = (c: Command) => c.requiredOption('--org <org>', 'organisation slug or id');
  const fields = (c: Command, create: boolean) => {
    for (const f of spec.fields) {
      const opt = new Option(f.flag, f.description);
      if (f.parse) opt.argParser(f.parse);
      if (create && f.required) opt.makeOptionMandatory();
      c.addOption(opt);
    }
    for (const s of spec.switches ?? []) c.option(`--${s.name}`, s.description).option(`--no-${s.name}`, `not ${s.description}`);
    return c;
  };

  withJson(withDataOptions(fields(org(cmd.command('add')), true)))
    .description(`add one of ${spec.plural}`)
    .action(act(state, async (o: Opts) => withRuntime(o, async (rt) => print(io, o.json, await spec.ops.create(rt, await callerFor(rt, o.org), collect(spec, o, true))))));
  withJson(withDataOptions(org(cmd.command('list'))))
    .description(`list ${spec.plural}, one row each (every field with --json)`)
    .option('--limit <n>', 'at most this many', parseIntArg(1, 500), 100)
    .option('--offset <n>', 'skip this many', parseIntArg(0, 10_000_000), 0)
    .action(
      act(state, async (o: Opts & { limit: number; offset: number }) =>
        withRuntime(o, async (rt) => printTable(io, o.json, await spec.ops.list(rt, await callerFor(rt, o.org), { limit: o.limit, offset: o.offset }), spec.columns)),
      ),
    );
  withJson(withDataOptions(org(cmd.command('show').argument('<id>'))))
    .description(`show one of ${spec.plural}`)
    .action(act(state, async (id: string, o: Opts) => withRuntime(o, async (rt) => print(io, o.json, await spec.ops.get(rt, await callerFor(rt, o.org), id)))));
  withJson(withDataOptions(fields(org(cmd.command('update').argument('<id>')), false)))
    .description(`change one of ${spec.plural}`)
    .action(
      act(state, async (id: string, o: Opts) =>
        withRuntime(o, async (rt) => print(io, o.json, await spec.ops.update(rt, await callerFor(rt, o.org), id, collect(spec, o, false)))),
      ),
    );
  withJson(withDataOptions(org(cmd.command('remove').argument('<id>'))))
    .description(`delete one of ${spec.plural}`)
    .action(
      act(state, async (id: string, o: Opts) =>
        withRuntime(o, async (rt) => {
          await spec.ops.remove(rt, await callerFor(rt, o.org), id);
          print(io, o.json, { removed: id });
        }),
      ),
    );
  return cmd;
}

const nonNegativeInt = parseIntArg(0, 86_400_000);

export function entityCommands(io: Io, state: { code: number }): Command[] {
  const withTrackAudio = (track: Command) => {
    addTrackAudioCommand(track, io, state);
    return track;
  };
  return [
    entityCommand(io, state, {
      noun: 'artist',
      plural: 'artists',
      fields: [{ flag: '--name <name>', key: 'name', description: 'artist name', required: true }],
      switches: [{ name: 'verified', key: 'verified', description: 'a verified profile' }],
      columns: ['id', 'name', 'verified'],
      ops: catalog.artistOps,
    }),
    entityCommand(io, state, {
      noun: 'rights-holder',
      plural: 'rights holders',
      fields: [
        { flag: '--name <name>', key: 'name', description: 'name', required: true },
        { flag: '--kind <kind>', key: 'kind', description: catalog.RIGHTS_HOLDER_KINDS.join(' | '), required: true },
        { flag: '--ipi <ipi>', key: 'ipi', description: 'IPI name number' },
      ],
      columns: ['id', 'name', 'kind', 'ipi'],
      ops: catalog.rightsHolderOps,
    }),
    entityCommand(io, state, {
      noun: 'release',
      plural: 'releases',
      fields: [
        { flag: '--title <title>', key: 'title', description: 'release title', required: true },
        { flag: '--artist <id>', key: 'artistId', description: 'main artist id' },
        { flag: '--icpn <code>', key: 'icpn', description: 'UPC/EAN' },
        { flag: '--grid <grid>', key: 'grid', description: 'GRid' },
        { flag: '--date <yyyy-mm-dd>', key: 'releaseDate', description: 'release date' },
      ],
      columns: ['id', 'title', 'icpn', 'releaseDate', 'containsAi'],
      ops: catalog.releaseOps,
    }),
    withTrackAudio(entityCommand(io, state, {
      noun: 'track',
      plural: 'tracks',
      fields: [
        { flag: '--title <title>', key: 'title', description: 'track title', required: true },
        { flag: '--artist <id>', key: 'artistId', description: 'main artist id' },
        { flag: '--release <id>', key: 'releaseId', description: 'release id' },
        { flag: '--isrc <isrc>', key: 'isrc', description: 'ISRC' },
        { flag: '--iswc <iswc>', key: 'iswc', description: 'ISWC of the work' },
        { flag: '--duration-ms <ms>', key: 'durationMs', description: 'duration in milliseconds', parse: nonNegativeInt },
        { flag: '--content-hash <sha256>', key: 'contentHash', description: 'SHA-256 of the audio file' },
      ],
      columns: ['id', 'isrc', 'title', 'durationMs', 'containsAi', 'contentHash'],
      ops: catalog.trackOps,
    })),
  ];
}
