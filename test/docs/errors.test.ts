// Every error code the code base defines is documented, and the documentation lists no code
// that no longer exists.

import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import '../../src/cli/index.ts';
import '../../src/runtime/index.ts';
import '../../src/api/index.ts';
// The CLI loads its commands when called: capabilities only a command uses yet are imported here.
import '../../src/attribution/index.ts';
import '../../src/streams/index.ts';
import '../../src/privacy/index.ts';
import '../../src/royalties/index.ts';
import { registeredErrorCodes } from '../../src/shared/index.ts';

it('documents every error code in docs/errors.md, and only those', async () => {
  const doc = await readFile(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const documented = [...doc.matchAll(/^\| `(LL_[A-Z_]+)`/gm)].map((m) => m[1]).sort();
  expect(documented).toEqual(registeredErrorCodes().map((c) => c.code));
});
