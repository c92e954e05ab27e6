// `ledgerline uploads` and `ledgerline review`: the operator's list of uploads with their
// decisions, and the reviewer's queue (list, claim, decide, reverse), over the same screening
// functions as the API. The CLI acts as `cli:<user>`, so a claim made here is decided here.

import { Command, Option } from 'commander';
import { claimReview, DECISIONS, getUpload, listReview, listUploads, REVIEW_STATES, reviewDecision, UPLOAD_STATUSES, type ReviewItem, type ScreeningDecision, type UploadStatus } from '../../screening/index.ts';
import { act, callerFor, parseIntArg, print, printTable, withDataOptions, withJson, withRuntime, type GlobalOptions, type Io } from '../context.ts';

type Opts = GlobalOptions & { org: string; json?: boolean };

const org = (c: Command) => c.requiredOption('--org <org>', 'organisation slug or id');
const limit = (c: Command) => c.option('--limit <n>', 'at most this many', parseIntArg(1, 500), 100);

export function uploadsCommand(io: Io, state: { code: number }): Command {
  const uploads = new Command('uploads').description('uploads and their screening decisions');
  withJson(withDataOptions(limit(org(uploads.command('list')))))
    .description('uploads, newest first, one row each (every field with --json)')
    .option('--uploader <id>', "the sender's account id")
    .addOption(new Option('--status <status>').choices([...UPLOAD_STATUSES]))
    .addOption(new Option('--decision <decision>').choices([...DECISIONS]))
    .option('--after <upload id>', 'continue after this upload')
    .action(
      act(state, async (o: Opts & { limit: number; uploader?: string; status?: UploadStatus; decision?: ScreeningDecision; after?: string }) =>
        withRuntime(o, async (rt) => {
          const rows = await listUploads(rt.screening, await callerFor(rt, o.org), { uploader: o.uploader, status: o.status, decision: o.decision, after: o.after }, o.limit);
          printTable(io, o.json, rows, ['id', 'receivedAt', 'uploader', 'title', 'artist', 'status', 'decision']);
        }),
      ),
    );
  withJson(withDataOptions(org(uploads.command('show').argument('<upload id>'))))
    .description('one upload with every decision round, its signals and evidence, and its review')
    .action(act(state, async (id: string, o: Opts) => withRuntime(o, async (rt) => print(io, o.json, await getUpload(rt.screening, await callerFor(rt, o.org), id)))));
  return uploads;
}

export function reviewCommand(io: Io, state: { code: number }): Command {
  const review = new Command('review').description('the review queue: uploads held for a person');
  withJson(withDataOptions(limit(org(review.command('list')))))
    .description('what waits for a person (open or claimed), oldest first; --state decided for the done ones')
    .addOption(new Option('--state <state>').choices([...REVIEW_STATES]))
    .action(
      act(state, async (o: Opts & { limit: number; state?: ReviewItem['state'] }) =>
        withRuntime(o, async (rt) => {
          const items = await listReview(rt.screening, await callerFor(rt, o.org), o.state ?? null, o.limit);
          const rows = items.map((i) => ({ upload: i.uploadId, state: i.state, claimedBy: i.claimedBy, title: i.upload.title, artist: i.upload.artist, reason: i.reason }));
          printTable(io, o.json, o.json ? items : rows, ['upload', 'state', 'claimedBy', 'title', 'artist', 'reason']);
        }),
      ),
    );
  withJson(withDataOptions(org(review.command('claim').argument('<upload id>'))))
    .description('take a held upload to decide it')
    .action(act(state, async (id: string, o: Opts) => withRuntime(o, async (rt) => print(io, o.json, await claimReview(rt.screening, await callerFor(rt, o.org), id)))));
  for (const [name, kind, what] of [
    ['decide', 'decide', 'decide an upload you claimed'],
    ['reverse', 'reverse', 'replace the standing decision of any decided upload'],
  ] as const) {
    withJson(withDataOptions(org(review.command(name).argument('<upload id>'))))
      .description(`${what}, with the reason (kept in the audit log)`)
      .addOption(new Option('--decision <decision>').choices([...DECISIONS]).makeOptionMandatory())
      .requiredOption('--reason <text>', 'why')
      .action(
        act(state, async (id: string, o: Opts & { decision: string; reason: string }) =>
          withRuntime(o, async (rt) => {
            const u = await reviewDecision(rt.screening, await callerFor(rt, o.org), id, kind, { decision: o.decision, reason: o.reason });
            print(io, o.json, o.json ? u : { upload: u.id, decision: u.decision, review: u.review?.state ?? null });
          }),
        ),
      );
  }
  return review;
}
