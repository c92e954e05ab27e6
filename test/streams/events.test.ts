// Reading partners' stream batches: only the allowed fields, a forbidden one refuses the batch by
// name, a bad line is reported by number while the rest is kept, and no input makes the reader
// throw anything but its own error.

import { describe, expect, it } from 'vitest';
import { isLedgerlineError, seededRandom } from '../../src/shared/index.ts';
import { MAX_EVENTS_PER_BATCH, parseCsv, parseNdjson } from '../../src/streams/index.ts';

const NOW = Date.parse('2026-12-01T00:00:00Z');
const event = (over: Record<string, unknown> = {}) => JSON.stringify({ eventId: 'e1', listener: 'alice@example.com', isrc: 'GBAAA2600001', startedAt: '2026-11-30T10:00:00Z', msPlayed: 31_000, country: 'GB', service: 'spotify', client: 'ios-1', context: 'playlist', ...over });

describe('stream batches', () => {
  it('takes the allowed fields, and reports each bad line by number while keeping the rest', () => {
    const text = [
      event(),
      '{not json',
      event({ eventId: 'e2', isrc: 'GB-AAA-26-00001' }),
      event({ eventId: 'e3', startedAt: '2027-01-01T00:00:00Z' }),
      event({ eventId: 'e4', msPlayed: -5 }),
      event({ eventId: 'e5', country: 'GBR' }),
      '',
      event({ eventId: 'e6', client: undefined, context: undefined, country: undefined }),
      event({ eventId: 'e7\tx' }),
      event({ eventId: 'e8-\u{1F3B5}' }),
      event({ eventId: 'e9\u007f' }),
    ].join('\n');
    const r = parseNdjson(text, NOW);
    expect(r.events.map((e) => e.eventId)).toEqual(['e1', 'e6', 'e8-\u{1F3B5}']);
    expect(r.events[1]).toMatchObject({ client: null, context: null, country: null });
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 9, 11]);
    expect(r.errors.find((e) => e.line === 11)!.error).toMatch(/control characters/);
    expect(r.errors.find((e) => e.line === 4)!.error).toMatch(/future/);
  });

  it('refuses the whole batch for a field it does not take, naming it', () => {
    for (const field of ['voice', 'emotion', 'age', 'gender', 'latitude', 'city', 'deviceId', 'ip']) {
      const text = [event(), event({ eventId: 'e2', [field]: 'x' })].join('\n');
      expect(() => parseNdjson(text, NOW)).toThrow(new RegExp(`"${field}"`));
      try {
        parseNdjson(text, NOW);
      } catch (err) {
        expect(err).toMatchObject({ code: 'LL_STREAMS_FORBIDDEN_FIELD', details: { field } });
      }
    }
    expect(() => parseCsv('eventId,listener,isrc,startedAt,msPlayed,service,mood\n', NOW)).toThrow(/"mood"/);
  });

  it('reads CSV with quoted cells and reports rows of the wrong width', () => {
    const csv = ['eventId,listener,isrc,startedAt,msPlayed,service,context', 'a,"x, ""quoted""",GBAAA2600001,2026-11-30T10:00:00Z,40000,deezer,radio', 'b,y,GBAAA2600001,2026-11-30T10:00:00Z,40000', 'c,"open,GBAAA2600001'].join('\r\n');
    const r = parseCsv(csv, NOW);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]!.listener).toBe('x, "quoted"');
    expect(r.errors.map((e) => e.line)).toEqual([3, 4]);
  });

  it(`refuses a batch of more than ${MAX_EVENTS_PER_BATCH} events`, () => {
    const line = event();
    expect(() => parseNdjson(Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, () => line).join('\n'), NOW)).toThrow(/at most 50000/);
  });

  it('never throws anything but its own error on random input', () => {
    const random = seededRandom(3);
    const alphabet = '{}[]",:\\\n abcdefghijklmnopqrstuvwxyz0123456789-TZ\u0000\u00e9';
    for (let k = 0; k < 500; k++) {
      const base = random() < 0.5 ? event() : 'eventId,listener,isrc,startedAt,msPlayed,service\n1,2,GBAAA2600001,2026-11-30T10:00:00Z,40000,x';
      const chars = [...base];
      for (let m = 0; m < 1 + Math.floor(random() * 8); m++) chars[Math.floor(random() * chars.length)] = alphabet[Math.floor(random() * alphabet.length)]!;
      const text = chars.join('');
      for (const parse of [parseNdjson, parseCsv]) {
        try {
          const r = parse(text, NOW);
          expect(r.events.length + r.errors.length).toBeLessThanOrEqual(text.split('\n').length);
        } catch (err) {
          expect(isLedgerlineError(err)).toBe(true);
        }
      }
    }
  });
});
