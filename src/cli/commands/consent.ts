// `ledgerline consent set|check|history|signals`: consent rules on behalf of a rights holder or
// artist, checks, a track's history, and partners' TDMRep/ai.txt files.

import { Command, InvalidArgumentError } from 'commander';
import { resolveOrganisation } from '../../catalog/index.ts';
import { checkConsent, consentHistory, importSignals, setConsent } from '../../consent/index.ts';
import { act, cliActor, print, withDataOptions, withJson, withRuntime, type GlobalOptions, type Io } from '../context.ts';
import { readSmallFile } from '../files.ts';

function onBehalf(value: string): { role: string; subjectId: string } {
  const m = /^(rights_holder|artist):(\S+)$/.exec(value);
  if (!m) throw new InvalidArgumentError('expected rights_holder:ID or artist:ID');
  return { role: m[1]!, subjectId: m[2]! };
}

function json(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new InvalidArgumentError('expected JSON');
  }
}


type SetOpts = GlobalOptions & { org: string; as: { role: string; subjectId: string }; level: string; id?: string; isrc?: string; use: string; state: string; terms?: unknown; effectiveAt?: string; note?: string };
type CheckOpts = GlobalOptions & { org: string; isrc: string; use: string; licensee?: string; territory?: string; purpose?: string; at?: string };

export function consentCommand(io: Io, state: { code: number }): Command {
  const consent = new Command('consent').description('who may use which recording for which AI use');
  withJson(withDataOptions(consent.command('set')))
    .description('record a new consent version for one use, on behalf of a rights holder (or the artist, for voice and style)')
    .requiredOption('--org <org>', 'organisation slug or id')
    .requiredOption('--as <who>', 'rights_holder:ID or artist:ID', onBehalf)
    .requiredOption('--level <level>', 'track | release | artist | rights_holder')
    .option('--id <id>', 'id of the track, release, artist or rights holder')
    .option('--isrc <isrc>', 'the track, for --level track')
    .requiredOption('--use <use>', 'ai_training | generative_training | inference | data_mining | voice_clone | style_imitation')
    .requiredOption('--state <state>', 'allowed | notAllowed | constrained | inherit')
    .option('--terms <json>', 'constrained terms, a JSON list', json)
    .option('--effective-at <instant>', 'when it takes effect (default now; never in the past)')
    .option('--note <text>', 'why')
    .action(
      act(state, async (o: SetOpts) =>
        withRuntime(o, async (rt) => {
          const org = await resolveOrganisation(rt, o.org);
          const rule = await setConsent(rt.consent, { orgId: org.id, actor: cliActor(), role: o.as.role, subjectId: o.as.subjectId }, {
            level: o.level,
            id: o.id,
            isrc: o.isrc,
            use: o.use,
            state: o.state,
            terms: o.terms,
            effectiveAt: o.effectiveAt,
            note: o.note,
          });
          print(io, o.json, rule);
        }),
      ),
    );
  withJson(withDataOptions(consent.command('check')))
    .description('may this use happen? prints the answer and the rule that decided it')
    .requiredOption('--org <org>', 'organisation slug or id')
    .requiredOption('--isrc <isrc>', 'the track')
    .requiredOption('--use <use>', 'the use')
    .option('--licensee <slug>', 'who asks')
    .option('--territory <code>', 'ISO 3166-1 alpha-2')
    .option('--purpose <purpose>', 'research | commercial')
    .option('--at <instant>', 'evaluate as of this instant (default now)')
    .action(
      act(state, async (o: CheckOpts) =>
        withRuntime(o, async (rt) => {
          const org = await resolveOrganisation(rt, o.org);
          const d = await checkConsent(rt.consent, org.id, o.isrc, { use: o.use, licensee: o.licensee, territory: o.territory, purpose: o.purpose, at: o.at });
          if (o.json) io.out(JSON.stringify(d));
          else io.out(`${d.isrc} ${d.use} at ${d.at}: ${d.allowed ? 'ALLOWED' : 'NOT ALLOWED'}: ${d.reason}`);
        }),
      ),
    );
  withJson(withDataOptions(consent.command('history')))
    .description('every version of every rule that reaches a track, newest first')
    .requiredOption('--org <org>', 'organisation slug or id')
    .requiredOption('--isrc <isrc>', 'the track')
    .action(
      act(state, async (o: GlobalOptions & { org: string; isrc: string }) =>
        withRuntime(o, async (rt) => {
          const org = await resolveOrganisation(rt, o.org);
          const h = await consentHistory(rt.consent, org.id, o.isrc);
          print(io, o.json, o.json ? h : h.rules);
        }),
      ),
    );
  withJson(withDataOptions(consent.command('signals').argument('<file>', "a partner's tdmrep.json or ai.txt")))
    .description("import a partner's opt-out file as reservations; a later file never lifts an earlier reservation")
    .requiredOption('--org <org>', 'organisation slug or id')
    .requiredOption('--format <format>', 'tdmrep | ai.txt')
    .requiredOption('--source <source>', 'the partner or URL the file came from')
    .action(
      act(state, async (file: string, o: GlobalOptions & { org: string; format: string; source: string }) => {
        const content = (await readSmallFile(file)).toString('utf8');
        return withRuntime(o, async (rt) => {
          const org = await resolveOrganisation(rt, o.org);
          print(io, o.json, await importSignals(rt.consent, { orgId: org.id, actor: cliActor() }, { format: o.format, source: o.source, content }));
        });
      }),
    );
  return consent;
}
