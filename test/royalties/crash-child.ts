// Run by crash.test.ts as its own process: allocates a period on the embedded store, saying
// "begin" just before, so the test can kill it in the middle.
import { openRuntime } from '../../src/runtime/index.ts';
import { allocatePeriod } from '../../src/royalties/index.ts';

const [dataDir, orgId] = process.argv.slice(2) as [string, string];
const rt = await openRuntime({ dataDir, threads: 1 });
process.stdout.write('begin\n');
const report = await allocatePeriod(rt.royalties, { orgId, actor: 'crash-test' }, '2026-11');
process.stdout.write(`done ${report.allocated}\n`);
await rt.close();
