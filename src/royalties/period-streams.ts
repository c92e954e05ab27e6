// A period's counted streams as allocation reads them: millions of rows (a month of a mid-size
// distributor is ten million plays from two hundred thousand listeners), so they are held in
// columns of integers over three dictionaries (services and countries, listeners, tracks) rather
// than as an object per row. A key may have several rows (one per play, flagged streams as rows
// that move counts from valid to flagged, days folded by retention): its counts are their sums.

import type { ListenerPlays, TrackStreams } from './sources.ts';

/**
 * The listener of rows that have none: days retention has folded into daily counts (nobody is
 * left to divide by), and every row of a read per track (made when no user-centric revenue asks).
 */
export const FOLDED = '';

class Dictionary {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  of(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }
}

export class PeriodStreams {
  private readonly groupNames = new Dictionary();
  private readonly listenerNames = new Dictionary();
  private readonly trackNames = new Dictionary();
  private groupOf: Int32Array = new Int32Array(1024);
  private listenerOf: Int32Array = new Int32Array(1024);
  private trackOf: Int32Array = new Int32Array(1024);
  private validOf: Int32Array = new Int32Array(1024);
  private flaggedOf: Int32Array = new Int32Array(1024);
  count = 0;

  /** Per group: its service and country. */
  private readonly groupFields: Array<{ service: string; country: string | null }> = [];

  /** Index of a (service, country) pair; rows refer to it. */
  group(service: string, country: string | null): number {
    // NUL cannot occur in a database text, so it parts the two fields.
    const i = this.groupNames.of(`${service}\u0000${country ?? '\u0000'}`);
    if (i === this.groupFields.length) this.groupFields.push({ service, country });
    return i;
  }

  listener(pseudonym: string): number {
    return this.listenerNames.of(pseudonym);
  }

  track(trackId: string): number {
    return this.trackNames.of(trackId);
  }

  /** One row by dictionary indexes (from group(), listener(), track()). */
  push(group: number, listener: number, track: number, valid: number, flagged: number) {
    if (this.count === this.groupOf.length) this.grow();
    const i = this.count++;
    this.groupOf[i] = group;
    this.listenerOf[i] = listener;
    this.trackOf[i] = track;
    this.validOf[i] = valid;
    this.flaggedOf[i] = flagged;
  }

  add(row: { service: string; country: string | null; listener: string; trackId: string; valid: number; flagged: number }) {
    this.push(this.group(row.service, row.country), this.listener(row.listener), this.track(row.trackId), row.valid, row.flagged);
  }

  private grow() {
    const widen = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.groupOf = widen(this.groupOf);
    this.listenerOf = widen(this.listenerOf);
    this.trackOf = widen(this.trackOf);
    this.validOf = widen(this.validOf);
    this.flaggedOf = widen(this.flaggedOf);
  }

  /** Which groups a revenue of this service (and territory, when it names one) is allocated over. */
  private groupsFor(service: string, territory?: string): Uint8Array {
    return Uint8Array.from(this.groupFields, (g) => (g.service === service && (!territory || g.country === territory) ? 1 : 0));
  }

  /** Streams per track for one service (summed over countries, when the revenue is not for one territory). */
  perTrack(service: string, territory?: string): TrackStreams[] {
    const wanted = this.groupsFor(service, territory);
    const tracks = this.trackNames.names.length;
    const valid = new Float64Array(tracks);
    const flagged = new Float64Array(tracks);
    const seen = new Uint8Array(tracks);
    for (let i = 0; i < this.count; i++) {
      if (!wanted[this.groupOf[i]!]) continue;
      const t = this.trackOf[i]!;
      valid[t]! += this.validOf[i]!;
      flagged[t]! += this.flaggedOf[i]!;
      seen[t] = 1;
    }
    const out: TrackStreams[] = [];
    for (let t = 0; t < tracks; t++) if (seen[t]) out.push({ trackId: this.trackNames.names[t]!, valid: valid[t]!, flagged: flagged[t]! });
    return out;
  }

  /** What each listener played of one service (and territory), per track; folded days have no listeners and are left out. */
  perListener(service: string, territory?: string): ListenerPlays[] {
    const wanted = this.groupsFor(service, territory);
    const listeners = this.listenerNames.names.length;
    const folded = this.listenerNames.names.indexOf(FOLDED);
    // Rows by listener (a counting sort), then each listener's rows summed per track.
    const starts = new Int32Array(listeners + 1);
    for (let i = 0; i < this.count; i++) if (wanted[this.groupOf[i]!] && this.listenerOf[i] !== folded) starts[this.listenerOf[i]! + 1]!++;
    for (let l = 0; l < listeners; l++) starts[l + 1]! += starts[l]!;
    const rows = new Int32Array(starts[listeners]!);
    const at = starts.slice(0, listeners);
    for (let i = 0; i < this.count; i++) if (wanted[this.groupOf[i]!] && this.listenerOf[i] !== folded) rows[at[this.listenerOf[i]!]!++] = i;
    const tracks = this.trackNames.names.length;
    const valid = new Float64Array(tracks);
    const flagged = new Float64Array(tracks);
    const touched = new Int32Array(tracks);
    const seen = new Uint8Array(tracks);
    const out: ListenerPlays[] = [];
    for (let l = 0; l < listeners; l++) {
      if (starts[l] === starts[l + 1]) continue;
      let n = 0;
      for (let k = starts[l]!; k < starts[l + 1]!; k++) {
        const i = rows[k]!;
        const t = this.trackOf[i]!;
        if (!seen[t]) {
          seen[t] = 1;
          touched[n++] = t;
        }
        valid[t]! += this.validOf[i]!;
        flagged[t]! += this.flaggedOf[i]!;
      }
      const plays: TrackStreams[] = [];
      for (let k = 0; k < n; k++) {
        const t = touched[k]!;
        plays.push({ trackId: this.trackNames.names[t]!, valid: valid[t]!, flagged: flagged[t]! });
        valid[t] = 0;
        flagged[t] = 0;
        seen[t] = 0;
      }
      out.push({ listener: this.listenerNames.names[l]!, plays });
    }
    return out;
  }
}
