// Territories as ISO 3166-1 alpha-2 codes, plus DDEX's "Worldwide" and the XK code DDEX uses
// for Kosovo. A list, not a pattern: "UK" or "EU" must be refused, not silently match nothing.

import { LedgerlineError } from '../shared/index.ts';
import { ConsentErrors } from './errors.ts';

const ALPHA2 =
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO ' +
  'FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE ' +
  'JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO ' +
  'MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW ' +
  'PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM ' +
  'TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK';

export const TERRITORIES: ReadonlySet<string> = new Set(ALPHA2.split(' '));
export const WORLDWIDE = 'Worldwide';

/** A territory code in canonical case: "gb" -> "GB", "worldwide" -> "Worldwide". */
export function normaliseTerritory(raw: string): string {
  const t = raw.trim();
  if (t.toLowerCase() === 'worldwide') return WORLDWIDE;
  const up = t.toUpperCase();
  if (!TERRITORIES.has(up)) {
    throw new LedgerlineError(ConsentErrors.BAD_TERRITORY, `"${raw}" is not an ISO 3166-1 alpha-2 territory code (or Worldwide)`, { territory: raw });
  }
  return up;
}

/** Whether a list of territories (absent or holding Worldwide: everywhere) covers one territory. */
export function covers(list: readonly string[] | undefined, territory: string): boolean {
  if (!list || list.includes(WORLDWIDE)) return true;
  return list.includes(territory);
}

/** Whether two territory lists share a territory. */
export function intersects(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (!a || !b || a.includes(WORLDWIDE) || b.includes(WORLDWIDE)) return true;
  return a.some((t) => b.includes(t));
}
