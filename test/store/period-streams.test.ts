// A period's counted streams on both engines, read per track and per listener (on PGlite the
// per-listener plays leave the engine as one COPY blob and are counted outside it): the same
// counts either way, with the awkward cases a COPY text carries: a null country (\N), a
// service holding a backslash (escaped), a track since deleted from the catalog (its id, not a
// rank), and plays that do not count (too short, outside the period, no track).

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackStreams } from '../../src/royalties/sources.ts';
import type { StoredEvent } from '../../src/streams/index.ts';
import { ENGINES, openTestStore, type TestStore } from '../helpers/store.ts';

describe.each(ENGINES)('period streams on %s', (engine) => {
  let ts: TestStore;
  const orgId = randomUUID();
  const [t1, t2] = [randomUUID(), randomUUID()].sort();
  const gone = randomUUID();
  const odd = 'odd\\service\ttab';
  let n = 0;
  const play = (listener: string, trackId: string | null, over: Partial<StoredEvent> = {}): StoredEvent => ({
    orgId,
    eventId: `e${n++}`,
    listener,
    client: null,
    epoch: 1,
    isrc: 'GBAAA2600001',
    trackId,
    startedAt: '2026-11-10T12:00:00.000Z',
    msPlayed: 45_000,
    country: 'GB',
    service: 'tidal',
    context: null,
    ...over,
  });
  beforeAll(async () => {
    ts = await openTestStore(engine);
    const db = ts.store.db;
    await db.insertInto('organisations').values({ id: orgId, slug: `ps-${orgId.slice(0, 8)}`, name: 'period streams', created_at: new Date() }).execute();
    await db
      .insertInto('tracks')
      .values([t1!, t2!].map((id, i) => ({ id, org_id: orgId, title: `t${i}`, isrc: `GBAAA260000${i + 2}`, duration_ms: 180_000 })) as never)
      .execute();
    await ts.store.repos.streams.insertEvents([
      play('pA', t1!),
      play('pA', t1!),
      play('pA', t2!),
      play('pB', t1!, { country: null, service: odd }),
      play('pC', gone),
      play('pA', t2!, { msPlayed: 29_999 }),
      play('pA', t2!, { startedAt: '2026-12-01T00:00:00.000Z' }),
      play('pA', null),
    ]);
  });
  afterAll(async () => ts.cleanup());

  const read = (perListener: boolean) => ts.store.transaction((r) => r.royalties.periodStreams(orgId, '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z', perListener));
  const sorted = (xs: TrackStreams[]) => [...xs].sort((a, b) => (a.trackId < b.trackId ? -1 : 1));

  it('counts the same plays per listener as per track, whatever the fields hold', async () => {
    const byListener = await read(true);
    const tidal = byListener.perListener('tidal', 'GB').map((l) => ({ listener: l.listener, plays: sorted(l.plays) }));
    expect(tidal.sort((a, b) => (a.listener < b.listener ? -1 : 1))).toEqual([
      { listener: 'pA', plays: sorted([{ trackId: t1!, valid: 2, flagged: 0 }, { trackId: t2!, valid: 1, flagged: 0 }]) },
      { listener: 'pC', plays: [{ trackId: gone, valid: 1, flagged: 0 }] },
    ]);
    expect(byListener.perListener(odd)).toEqual([{ listener: 'pB', plays: [{ trackId: t1!, valid: 1, flagged: 0 }] }]);
    expect(byListener.perListener('tidal', 'FR')).toEqual([]);

    const byTrack = await read(false);
    for (const streams of [byListener, byTrack]) {
      expect(sorted(streams.perTrack('tidal'))).toEqual(sorted([{ trackId: t1!, valid: 2, flagged: 0 }, { trackId: t2!, valid: 1, flagged: 0 }, { trackId: gone, valid: 1, flagged: 0 }]));
      expect(streams.perTrack(odd)).toEqual([{ trackId: t1!, valid: 1, flagged: 0 }]);
    }
  });

  it('reads a month without plays as no streams', async () => {
    const empty = await ts.store.transaction((r) => r.royalties.periodStreams(orgId, '2026-09-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z', true));
    expect(empty.count).toBe(0);
    expect(empty.perListener('tidal')).toEqual([]);
    expect(empty.perTrack('tidal')).toEqual([]);
  });
});
