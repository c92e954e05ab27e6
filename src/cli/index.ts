// The `ledgerline` command: registers the subcommands and turns their outcome into an exit code.
// Only the module of the command being run is loaded (each pulls in its capability, the database
// engines, the HTTP server...): `ledgerline --help` and a command that needs none of those start
// in a fraction of the time the whole program takes to load. The table below names every command
// for the top-level help; a test checks it against the commands themselves.

import { Command, CommanderError } from 'commander';
import { EXIT, processIo, reportError, type Io } from './context.ts';

type Build = (io: Io, state: { code: number }) => Command | Command[];

interface Entry {
  description: string;
  load: () => Promise<Build>;
}

const entities = async (): Promise<Build> => (await import('./commands/entities.ts')).entityCommands;
const licensing = async (): Promise<Build> => (await import('./commands/licensing.ts')).licensingCommands;

export const COMMANDS: Record<string, Entry> = {
  serve: { description: 'run the HTTP API (and, embedded, the job workers)', load: async () => (await import('./commands/serve.ts')).serveCommand },
  worker: { description: 'run jobs: BullMQ on Redis (--redis) or the jobs table of a shared PostgreSQL (--database)', load: async () => (await import('./commands/worker.ts')).workerCommand },
  demo: { description: 'create a demo organisation, catalog and keys (first run only), then serve the API', load: async () => (await import('./commands/demo.ts')).demoCommand },
  migrate: { description: 'apply pending database migrations', load: async () => (await import('./commands/migrate.ts')).migrateCommand },
  org: { description: 'organisations', load: async () => (await import('./commands/org.ts')).orgCommand },
  keys: { description: 'API keys', load: async () => (await import('./commands/keys.ts')).keysCommand },
  artist: { description: 'artists', load: entities },
  'rights-holder': { description: 'rights holders', load: entities },
  release: { description: 'releases', load: entities },
  track: { description: 'tracks', load: entities },
  split: { description: 'master and publishing splits', load: async () => (await import('./commands/split.ts')).splitCommand },
  catalog: { description: 'the catalog as a whole', load: async () => (await import('./commands/catalog.ts')).catalogCommand },
  match: { description: 'find catalog tracks in audio files: one JSON line per file with --json', load: async () => (await import('./commands/fingerprint.ts')).matchCommand },
  attribute: {
    description: 'which catalog recordings and works generated outputs draw on, as shares with evidence: one JSON line per file with --json',
    load: async () => (await import('./commands/attribute.ts')).attributeCommand,
  },
  attribution: { description: 'the attribution indexes: reindex composition features from audio files', load: async () => (await import('./commands/attribute.ts')).attributionCommand },
  detect: {
    description: 'judge whether audio is AI-generated, with readable evidence: one JSON line per file with --json',
    load: async () => (await import('./commands/detect.ts')).detectCommand,
  },
  screen: {
    description: 'screen files as uploads: duplicates, impostors, AI vs disclosure, consent, spam; one line per file',
    load: async () => (await import('./commands/screen.ts')).screenCommand,
  },
  uploads: { description: 'uploads and their screening decisions', load: async () => (await import('./commands/review.ts')).uploadsCommand },
  review: { description: 'the review queue: uploads held for a person', load: async () => (await import('./commands/review.ts')).reviewCommand },
  ddex: { description: 'DDEX ERN release messages', load: async () => (await import('./commands/ddex.ts')).ddexCommand },
  consent: { description: 'who may use which recording for which AI use', load: async () => (await import('./commands/consent.ts')).consentCommand },
  licensee: { description: 'AI developers who license recordings', load: licensing },
  license: { description: 'licenses granted to licensees', load: licensing },
  dataset: { description: 'dataset requests under a license', load: licensing },
  manifest: { description: 'training-data manifests: proofs and offline verification', load: licensing },
  streams: { description: 'stream events: import, scans for artificial streaming, review, retention', load: async () => (await import('./commands/streams.ts')).streamsCommand },
  privacy: { description: "listeners' rights: export, erasure, consents; pseudonym epochs", load: async () => (await import('./commands/streams.ts')).privacyCommand },
  royalties: { description: 'revenue, allocation to rights holders, statements, payouts', load: async () => (await import('./commands/royalties.ts')).royaltiesCommand },
  ledger: { description: 'the double-entry ledger', load: async () => (await import('./commands/royalties.ts')).ledgerCommand },
  audit: { description: 'the append-only, hash-chained audit log', load: async () => (await import('./commands/audit.ts')).auditCommand },
};

/**
 * The program with every command in full when `only` is not given, else with that command in
 * full and the others as names and descriptions (enough for the top-level help and for commander
 * to say "unknown command").
 */
export async function buildProgram(io: Io, state: { code: number }, only?: string): Promise<Command> {
  const program = new Command('ledgerline')
    .description('consented, attributed, paid and honest AI in music')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  const built = new Map<string, Command>();
  for (const [name, entry] of Object.entries(COMMANDS)) {
    if (only !== undefined && name !== only) continue;
    for (const c of [(await entry.load())(io, state)].flat()) built.set(c.name(), c);
  }
  for (const [name, entry] of Object.entries(COMMANDS)) program.addCommand(built.get(name) ?? new Command(name).description(entry.description));
  const configure = (c: Command) => {
    c.exitOverride();
    c.configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
    c.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/** Runs one command line; resolves to the exit code (0 ok, 1 failure, 2 bad usage or input). */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const state = { code: EXIT.ok as number };
  const words = argv.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  const only = name !== undefined && Object.hasOwn(COMMANDS, name) ? name : '';
  try {
    const program = await buildProgram(io, state, only);
    await program.parseAsync(argv, { from: 'user' });
    return state.code;
  } catch (err) {
    if (err instanceof CommanderError && (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')) {
      return EXIT.ok;
    }
    return reportError(io, argv.includes('--json'), err);
  }
}
