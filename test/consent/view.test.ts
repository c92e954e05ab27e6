// The in-memory view that answers checks stays current: a change made through another process
// is merged in place on the next refresh, a catalog change re-reads only the tracks it names,
// and either way the answer is the store's.

import { afterAll, beforeAll, expect, it } from 'vitest';
import * as catalog from '../../src/catalog/index.ts';
import { ConsentView, setConsent, type ConsentStore } from '../../src/consent/index.ts';
import { composeRuntime } from '../../src/runtime/index.ts';
import { systemClock } from '../../src/shared/index.ts';
import { openTestStore, type TestStore } from '../helpers/store.ts';

let ts: TestStore;
beforeAll(async () => {
  ts = await openTestStore('pglite');
});
afterAll(async () => ts.cleanup());

it('merges consent changes from another process in place, and re-reads only the tracks a catalog change names', async () => {
  const deps = { store: ts.store, clock: systemClock };
  const org = await catalog.createOrganisation(deps, 'test', { slug: 'view', name: 'View' });
  const c = { orgId: org.id, actor: 'test' };
  const label = await catalog.createRightsHolder(deps, c, { name: 'Label', kind: 'label' });
  const pub = await catalog.createRightsHolder(deps, c, { name: 'Pub', kind: 'publisher' });
  const track = await catalog.createTrack(deps, c, { title: 'T', isrc: 'GBVIE2600001' });
  await catalog.setSplit(deps, c, track.id, 'master', [{ rightsHolderId: label.id, percent: 100 }]);

  // "This process" writes; "the other process" only reads, through its own view.
  const writer = composeRuntime(ts.store).consent;
  let loads = 0;
  const reread: string[] = [];
  const counting: ConsentStore = {
    ...ts.store.repos.consent,
    scopesByIsrc: async (o, i) => {
      loads++;
      return ts.store.repos.consent.scopesByIsrc(o, i);
    },
    scopesOfTracks: async (o, ids) => {
      reread.push(...ids);
      return ts.store.repos.consent.scopesOfTracks(o, ids);
    },
  };
  const other = new ConsentView(counting, 0);
  const ask = async () => (await other.decide(org.id, ['GBVIE2600001'], { use: 'ai_training', at: new Date().toISOString() }))[0]!;

  expect((await ask()).allowed).toBe(false);
  expect(loads).toBe(1);
  const asLabel = { ...c, role: 'rights_holder', subjectId: label.id };
  await setConsent(writer, asLabel, { level: 'rights_holder', id: label.id, use: 'ai_training', state: 'allowed' });
  expect((await ask()).allowed).toBe(true);
  await setConsent(writer, asLabel, { level: 'track', isrc: 'GBVIE2600001', use: 'ai_training', state: 'notAllowed' });
  expect((await ask())).toMatchObject({ allowed: false, decidedBy: { level: 'track' } });
  await setConsent(writer, asLabel, { level: 'track', isrc: 'GBVIE2600001', use: 'ai_training', state: 'inherit' });
  expect((await ask()).allowed).toBe(true);
  expect(loads).toBe(1);

  // A publisher joins the track: at the rights-holder level both must now allow.
  await catalog.setSplit(deps, c, track.id, 'publishing', [{ rightsHolderId: pub.id, percent: 100 }]);
  const d = await ask();
  expect(loads).toBe(1);
  expect(reread).toContain(track.id);
  expect(d.allowed).toBe(false);
  expect(d.reason).toMatch(new RegExp(`rights holder ${pub.id} has not given consent`));

  // A track created after its ISRC was looked up and not found is found.
  const missing = async () => (await other.decide(org.id, ['GBVIE2600002'], { use: 'ai_training', at: new Date().toISOString() }))[0];
  expect(await missing()).toBeNull();
  const second = await catalog.createTrack(deps, c, { title: 'T2', isrc: 'GBVIE2600002' });
  await catalog.setSplit(deps, c, second.id, 'master', [{ rightsHolderId: label.id, percent: 100 }]);
  expect((await missing())!.allowed).toBe(true);
});
