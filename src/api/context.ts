// What route handlers reach: the runtime's ready services, set once at start-up. The API builds
// none of them (src/runtime/ is the one place they are put together).

import type { Runtime } from '../runtime/index.ts';

export type ApiContext = Pick<Runtime, 'store' | 'clock' | 'keys' | 'pool' | 'catalog' | 'consent' | 'licensing' | 'screening' | 'fingerprints' | 'attribution' | 'streams' | 'royalties'>;
