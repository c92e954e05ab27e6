// Every detector over one period's plays. A play may be named by several findings; it is flagged once.

import { accountPatterns } from './accounts.ts';
import { lowAndSlowFarms } from './farms.ts';
import { denseBlocks } from './fraudar.ts';
import { lockstepGroups } from './lockstep.ts';
import type { Finding, Plays } from './plays.ts';

export function detectAll(p: Plays): { findings: Finding[]; flagged: Uint8Array } {
  const findings = [...lowAndSlowFarms(p), ...denseBlocks(p), ...lockstepGroups(p), ...accountPatterns(p)];
  const flagged = new Uint8Array(p.account.length);
  for (const f of findings) for (const i of f.plays) flagged[i] = 1;
  return { findings, flagged };
}
