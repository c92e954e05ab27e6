// The `ledgerline` command: registers the subcommands and turns their outcome into an exit code.

import { Command, CommanderError } from 'commander';
import { auditCommand } from './commands/audit.ts';
import { catalogCommand } from './commands/catalog.ts';
import { consentCommand } from './commands/consent.ts';
import { ddexCommand } from './commands/ddex.ts';
import { licensingCommands } from './commands/licensing.ts';
import { demoCommand } from './commands/demo.ts';
import { detectCommand } from './commands/detect.ts';
import { entityCommands } from './commands/entities.ts';
import { matchCommand } from './commands/fingerprint.ts';
import { keysCommand } from './commands/keys.ts';
import { migrateCommand } from './commands/migrate.ts';
import { orgCommand } from './commands/org.ts';
import { screenCommand } from './commands/screen.ts';
import { serveCommand } from './commands/serve.ts';
import { splitCommand } from './commands/split.ts';
import { workerCommand } from './commands/worker.ts';
import { EXIT, processIo, reportError, type Io } from './context.ts';

export function buildProgram(io: Io, state: { code: number }): Command {
  const program = new Command('ledgerline')
    .description('consented, attributed, paid and honest AI in music')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  for (const c of [
    serveCommand(io, state),
    workerCommand(io, state),
    demoCommand(io, state),
    migrateCommand(io, state),
    orgCommand(io, state),
    keysCommand(io, state),
    ...entityCommands(io, state),
    splitCommand(io, state),
    catalogCommand(io, state),
    matchCommand(io, state),
    detectCommand(io, state),
    screenCommand(io, state),
    ddexCommand(io, state),
    consentCommand(io, state),
    ...licensingCommands(io, state),
    auditCommand(io, state),
  ]) {
    program.addCommand(c);
  }
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
  const program = buildProgram(io, state);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.code;
  } catch (err) {
    if (err instanceof CommanderError && (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')) {
      return EXIT.ok;
    }
    return reportError(io, argv.includes('--json'), err);
  }
}
