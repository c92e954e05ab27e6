// Royalties: operators post revenue, allocate, close periods and run payouts; a rights holder
// reads its own statements and balance; a licensee reads what it owes.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { addRevenue, addRevenues, allocatePeriod, artistStatementFor, closePeriod, correctRevenue, invoiceFor, payoutRun, releaseWithheld, RoyaltyErrors, statementFor, verifyLedger } from '../../royalties/index.ts';
import { LedgerlineError } from '../../shared/index.ts';
import { callerOf, principalOf } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { IdParams, responses } from '../schemas/common.ts';
import * as S from '../schemas/royalties.ts';

export const royaltyRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext }> = async (app, { ctx }) => {
  const tags = ['royalties'];
  app.post('/v1/royalties/revenue', { config: { roles: ['operator'] }, schema: { tags, summary: 'Record revenue (streams of a service, a training licence, a generated output) and book it to its pool', body: S.RevenueBody, response: responses({ 200: S.Revenue }) } }, async (req) => {
    const { orgId: _o, ...rest } = await addRevenue(ctx.royalties, callerOf(req), req.body);
    return rest;
  });
  app.post(
    '/v1/royalties/revenue/batch',
    {
      config: { roles: ['operator'] },
      bodyLimit: 4 * 1024 * 1024,
      schema: { tags, summary: "Record a batch of revenue reports (a licensee's month of outputs): all of them, or none with the failing report named", body: S.RevenueBatchBody, response: responses({ 200: S.RevenueBatch }) },
    },
    async (req) => {
      const { revenues, recorded } = await addRevenues(ctx.royalties, callerOf(req), req.body.reports);
      return { recorded, alreadyRecorded: revenues.length - recorded, ids: revenues.map((v) => v.id) };
    },
  );
  app.post('/v1/royalties/allocate', { config: { roles: ['operator'] }, schema: { tags, summary: "Allocate the period's revenue to every rights holder (all of it or none)", body: S.PeriodBody, response: responses({ 200: S.AllocationReport }) } }, async (req) =>
    allocatePeriod(ctx.royalties, callerOf(req), req.body.period),
  );
  app.post(
    '/v1/royalties/revenue/:id/correct',
    { config: { roles: ['operator'] }, schema: { tags, summary: 'Correct reported revenue: reverse it and its allocation, record and allocate the right amount in an open month', params: IdParams, body: S.CorrectionBody, response: responses({ 200: S.CorrectionReport }) } },
    async (req) => {
      const { revenue, ...rest } = await correctRevenue(ctx.royalties, callerOf(req), req.params.id, req.body);
      const { orgId: _o, ...shown } = revenue;
      return { ...rest, revenue: shown };
    },
  );
  app.post('/v1/royalties/release', { config: { roles: ['operator'] }, schema: { tags, summary: "Pay out what the period's streams withheld once reviews cleared their findings", body: S.PeriodBody, response: responses({ 200: S.ReleaseReport }) } }, async (req) =>
    releaseWithheld(ctx.royalties, callerOf(req), req.body.period),
  );
  app.post('/v1/royalties/periods/:period/close', { config: { roles: ['operator'] }, schema: { tags, summary: 'Close a period: it changes only through corrections in a later one', params: S.PeriodParams, response: responses({ 200: S.Closed }) } }, async (req) =>
    closePeriod(ctx.royalties, callerOf(req), req.params.period),
  );
  app.post('/v1/royalties/payouts', { config: { roles: ['operator'] }, schema: { tags, summary: 'Pay every holder whose balance reaches the minimum; once per reference', body: S.PayoutBody, response: responses({ 200: S.PayoutReport }) } }, async (req) =>
    payoutRun(ctx.royalties, callerOf(req), { period: req.body.period, reference: req.body.reference, minimumMinor: req.body.minimumMinor ?? 0 }),
  );
  app.get(
    '/v1/royalties/statements',
    { config: { roles: ['operator', 'rights_holder'] }, schema: { tags, summary: "A rights holder's statement for a period (a rights holder key sees only its own)", querystring: S.StatementQuery, response: responses({ 200: S.Statement }) } },
    async (req) => {
      const p = principalOf(req);
      // Another holder's statement is answered as if it did not exist.
      if (p.role === 'rights_holder' && p.subjectId !== req.query.holder) throw new LedgerlineError(RoyaltyErrors.SOURCE_NOT_FOUND, `no rights holder ${req.query.holder} in the organisation`);
      return statementFor(ctx.royalties, p, req.query.holder, req.query.period);
    },
  );
  app.get('/v1/royalties/balances', { config: { roles: ['operator', 'rights_holder', 'licensee'] }, schema: { tags, summary: 'Balances: all accounts (operator), its own payable (rights holder), what it owes (licensee)', response: responses({ 200: S.Balances }) } }, async (req) => {
    const p = principalOf(req);
    const prefix = p.role === 'rights_holder' ? `payable:holder:${p.subjectId}` : p.role === 'licensee' ? `receivable:licensee:${p.subjectId}` : '';
    if (p.role !== 'operator' && !p.subjectId) return [];
    return ctx.royalties.store.repos.royalties.balances(p.orgId, prefix);
  });
  app.get(
    '/v1/royalties/artist-statement',
    { config: { roles: ['operator', 'artist'] }, schema: { tags, summary: "What an artist's tracks paid in a period, to which rights holder, for which right (an artist key reads its own)", querystring: S.ArtistStatementQuery, response: responses({ 200: S.ArtistStatement }) } },
    async (req) => {
      const p = principalOf(req);
      const artist = p.role === 'artist' ? p.subjectId : req.query.artist;
      if (!artist) throw new LedgerlineError(RoyaltyErrors.SOURCE_NOT_FOUND, 'name the artist (?artist=)');
      return artistStatementFor(ctx.royalties, p, artist, req.query.period);
    },
  );
  app.get(
    '/v1/royalties/invoice',
    { config: { roles: ['operator', 'licensee'] }, schema: { tags, summary: "A licensee's invoice: licence fees and output revenue booked to it, and what it owes", querystring: S.InvoiceQuery, response: responses({ 200: S.Invoice }) } },
    async (req) => {
      const p = principalOf(req);
      const licensee = p.role === 'licensee' ? p.subjectId : req.query.licensee;
      if (!licensee) throw new LedgerlineError(RoyaltyErrors.SOURCE_NOT_FOUND, 'name the licensee (?licensee=)');
      return invoiceFor(ctx.royalties, p, licensee);
    },
  );
  app.get('/v1/ledger/verify', { config: { roles: ['operator'] }, schema: { tags, summary: 'Every entry balanced, every posting in its entry, every kept balance equal to its postings', response: responses({ 200: S.LedgerCheck }) } }, async (req) => verifyLedger(ctx.royalties, callerOf(req)));
};
