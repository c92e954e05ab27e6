// Partners' TDMRep and ai.txt files: read as the formats define them, and fuzzed: any input
// gives signals or LL_CONSENT_BAD_SIGNAL, never another failure.

import { describe, expect, it } from 'vitest';
import { parseAiTxt, parseTdmrep } from '../../src/consent/index.ts';
import { isLedgerlineError, seededRandom } from '../../src/shared/index.ts';

describe('partner signal files', () => {
  it('reads TDMRep rules and ai.txt groups', () => {
    expect(parseTdmrep('[{"location":"/music/*","tdm-reservation":1,"tdm-policy":"https://x.example/p.json"},{"location":"/free/GBAAA2600001.mp3","tdm-reservation":0}]')).toEqual([
      { location: '/music/*', reserved: true, rule: 'tdm-reservation 1 at /music/*', policy: 'https://x.example/p.json' },
      { location: '/free/GBAAA2600001.mp3', reserved: false, rule: 'tdm-reservation 0 at /free/GBAAA2600001.mp3', policy: null },
    ]);
    const ai = parseAiTxt('# partner\nUser-Agent: GPTBot\nUser-Agent: CCBot\nDisallow: /\n\nUser-Agent: *\nAllow: /GB-AAA-26-00001.wav # open\nDisallow:\n');
    expect(ai).toEqual([
      { location: '/', reserved: true, rule: 'User-Agent GPTBot, CCBot: Disallow /', policy: null },
      { location: '/GB-AAA-26-00001.wav', reserved: false, rule: 'User-Agent *: Allow /GB-AAA-26-00001.wav', policy: null },
    ]);
  });

  it('refuses what is not one of the formats, saying where', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
        return 'ok';
      } catch (e) {
        return isLedgerlineError(e) ? `${e.code}: ${e.message}` : String(e);
      }
    };
    expect(code(() => parseTdmrep('{"location":"/"}'))).toMatch(/LL_CONSENT_BAD_SIGNAL: tdmrep.json must be a JSON array/);
    expect(code(() => parseTdmrep('[{"location":"/","tdm-reservation":2}]'))).toMatch(/rule 0: tdm-reservation must be 0 or 1/);
    expect(code(() => parseAiTxt('User-Agent: *\nthis is not a field'))).toMatch(/ai.txt line 2/);
  });

  it('fuzz: 2000 mutated files give signals or LL_CONSENT_BAD_SIGNAL', () => {
    const rand = seededRandom(99);
    const bases = ['[{"location":"/music/GBAAA2600001.flac","tdm-reservation":1,"tdm-policy":"https://p.example/x"}]', 'User-Agent: *\nDisallow: /catalog/\nAllow: /catalog/x/GBAAA2600001\n'];
    const alphabet = '[]{}":,/*\n#:01 aA-\u0000\u00e9\ud83d';
    for (let i = 0; i < 2000; i++) {
      const chars = [...bases[i % 2]!];
      for (let k = 0, n = 1 + Math.floor(rand() * 6); k < n; k++) {
        const at = Math.floor(rand() * chars.length);
        if (rand() < 0.5) chars[at] = alphabet[Math.floor(rand() * alphabet.length)]!;
        else chars.splice(at, Math.floor(rand() * 5));
      }
      const text = chars.join('');
      for (const parse of [parseTdmrep, parseAiTxt]) {
        try {
          parse(text);
        } catch (e) {
          if (!isLedgerlineError(e) || e.code !== 'LL_CONSENT_BAD_SIGNAL') throw e;
        }
      }
    }
  });
});
