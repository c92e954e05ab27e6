// Stream events on both engines: an event id the organisation already holds is never stored
// twice, whether it comes again later or in two batches written at once (on PGlite the second
// batch's COPY fails whole and goes the INSERT way).

import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/streams/index.ts';
import { ENGINES, openTestStore, type TestStore } from '../helpers/store.ts';

describe.each(ENGINES)('stream events on %s', (engine) => {
  let ts: TestStore;
  const orgId = randomUUID();
  const event = (id: string): StoredEvent => ({
    orgId,
    eventId: id,
    listener: `p-${id}`,
    client: null,
    epoch: 1,
    isrc: 'GBAAA2600001',
    trackId: null,
    startedAt: '2026-11-10T12:00:00.000Z',
    msPlayed: 45_000,
    country: 'GB',
    service: 'tidal',
    context: null,
  });
  beforeAll(async () => {
    ts = await openTestStore(engine);
    await ts.store.db.insertInto('organisations').values({ id: orgId, slug: `se-${orgId.slice(0, 8)}`, name: 'events', created_at: new Date() }).execute();
  });
  afterAll(async () => ts.cleanup());

  const stored = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM stream_events WHERE org_id = ${orgId}`.execute(ts.store.db)).rows[0]!.n);

  it('stores each event id once, however its batches arrive', async () => {
    const events = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => event(`e${from + i}`));
    expect(await ts.store.repos.streams.insertEvents(events(0, 6_000))).toBe(6_000);
    // Half known, half new: only the new ones count.
    expect(await ts.store.repos.streams.insertEvents(events(3_000, 9_000))).toBe(3_000);
    // The same new events twice at once, and a batch holding one event twice.
    const added = await Promise.all([ts.store.repos.streams.insertEvents(events(9_000, 12_000)), ts.store.repos.streams.insertEvents(events(9_000, 12_000))]);
    expect(added[0]! + added[1]!).toBe(3_000);
    expect(await ts.store.repos.streams.insertEvents([event('dup'), event('dup')])).toBe(1);
    expect(await stored()).toBe(12_001);
  });
});
