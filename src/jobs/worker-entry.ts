// Runs inside a worker thread: imports job modules on demand and runs one job at a time.

import { parentPort } from 'node:worker_threads';
import type { JobDefinition } from './define.ts';

interface Task {
  taskId: number;
  module: string;
  name: string;
  payload: unknown;
  attempt: number;
  jobId: string;
}

const cache = new Map<string, JobDefinition>();

async function resolve(module: string, name: string): Promise<JobDefinition> {
  const key = `${module}#${name}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const mod = (await import(module)) as Record<string, unknown>;
  for (const v of Object.values(mod)) {
    const def = v as JobDefinition;
    if (def && typeof def === 'object' && def.name === name && typeof def.run === 'function') {
      cache.set(key, def);
      return def;
    }
  }
  throw new Error(`module ${module} exports no job "${name}"`);
}

parentPort!.on('message', async (t: Task) => {
  try {
    const def = await resolve(t.module, t.name);
    const result = await def.run(t.payload, { attempt: t.attempt, jobId: t.jobId });
    parentPort!.postMessage({ taskId: t.taskId, ok: true, result });
  } catch (err) {
    const e = err as Error & { code?: unknown; kind?: unknown; title?: unknown; details?: unknown };
    // A LedgerlineError keeps its code across the thread boundary.
    const coded = typeof e?.code === 'string' && typeof e.kind === 'string' ? { code: e.code, kind: e.kind, title: e.title, details: e.details } : null;
    parentPort!.postMessage({ taskId: t.taskId, ok: false, error: e?.message ?? String(err), coded });
  }
});
