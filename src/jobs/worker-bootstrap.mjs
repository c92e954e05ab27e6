// Plain-JS entry of every worker thread. When the process runs from TypeScript sources, the
// thread registers the same TypeScript loader before importing the real worker code.
import { workerData } from 'node:worker_threads';

if (workerData.typescript) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
