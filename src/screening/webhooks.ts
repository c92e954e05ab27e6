// Sends each decided (or failed) upload to the webhook its sender gave, from a background loop
// that reads what is pending from the store, so a restart loses nothing. A delivery that times
// out or is refused is tried again on later sweeps, up to MAX_ATTEMPTS, then marked failed.

import type { Transactor } from '../shared/index.ts';
import type { ScreeningStore } from './store.ts';
import type { Upload } from './types.ts';

export const MAX_ATTEMPTS = 5;

export interface WebhookOptions {
  intervalMs?: number;
  timeoutMs?: number;
  onError?: (upload: Upload, error: string) => void;
}

export function webhookBody(u: Upload) {
  return { uploadId: u.id, clientKey: u.clientKey, status: u.status, decision: u.decision, error: u.error, decidedAt: u.decidedAt };
}

/** One sweep: every pending delivery tried once. Returns how many were delivered. */
export async function deliverWebhooks(store: Transactor<{ screening: ScreeningStore }>, opts: WebhookOptions = {}): Promise<number> {
  let delivered = 0;
  for (const u of await store.repos.screening.pendingWebhooks(100)) {
    let ok = false;
    let error = '';
    try {
      const res = await fetch(u.webhookUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-ledgerline-upload': u.id },
        body: JSON.stringify(webhookBody(u)),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
        redirect: 'manual',
      });
      ok = res.status >= 200 && res.status < 300;
      if (!ok) error = `HTTP ${res.status}`;
      await res.body?.cancel();
    } catch (e) {
      error = (e as Error).message;
    }
    if (ok) delivered++;
    else opts.onError?.(u, error);
    await store.repos.screening.recordWebhook(u.id, ok ? 'delivered' : u.webhookAttempts + 1 >= MAX_ATTEMPTS ? 'failed' : 'pending');
  }
  return delivered;
}

/** Runs sweeps every `intervalMs` until stopped. */
export function startWebhooks(store: Transactor<{ screening: ScreeningStore }>, opts: WebhookOptions = {}): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    if (stopped) return;
    running = running.then(() => deliverWebhooks(store, opts)).catch(() => undefined);
  }, opts.intervalMs ?? 2000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
