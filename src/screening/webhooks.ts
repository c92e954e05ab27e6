// Sends each decided (or failed) upload to the webhook its sender gave, from a background loop
// that reads what is pending from the store, so a restart loses nothing. A delivery that times
// out or is refused is tried again on later sweeps, up to MAX_ATTEMPTS, then marked failed.
//
// Every delivery is signed: x-ledgerline-signature is "v1=" and the hex HMAC-SHA256, under the
// upload's own secret (shown once, when the upload is received), of the timestamp in
// x-ledgerline-timestamp, a ".", and the body. A receiver checks the HMAC and that the timestamp
// is recent, so a captured delivery cannot be replayed later or forged. Redirects are not
// followed (a 3xx is a failed delivery): a redirect could lead anywhere the check did not see.

import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Clock, Transactor } from '../shared/index.ts';
import type { ScreeningStore } from './store.ts';
import type { Upload } from './types.ts';
import { redactUrl, resolveTarget, type TargetPolicy } from './webhook-target.ts';

export const MAX_ATTEMPTS = 5;

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** Sends one delivery and answers its status; the effect the loop is given. */
export type HttpSender = (req: WebhookRequest) => Promise<{ status: number }>;

export interface WebhookOptions {
  /** How deliveries are sent (default: guardedSender with no exceptions). */
  send?: HttpSender;
  /** The secret an upload's deliveries are signed with. */
  secretFor: (uploadId: string) => Promise<string>;
  clock: Clock;
  intervalMs?: number;
  timeoutMs?: number;
  onError?: (upload: Upload, error: string) => void;
}

export function webhookBody(u: Upload) {
  return { uploadId: u.id, clientKey: u.clientKey, status: u.status, decision: u.decision, error: u.error, decidedAt: u.decidedAt };
}

/** The signature header's value for a body sent at `timestamp` (Unix seconds). */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Sends over node:http(s) to the address resolveTarget approved, pinned: the connection goes to
 * that address whatever the name resolves to a moment later.
 */
export function guardedSender(policy: TargetPolicy): HttpSender {
  return async (req) => {
    const u = new URL(req.url);
    const target = await resolveTarget(u.hostname, policy);
    const mod = u.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const r = mod.request(
        u,
        {
          method: 'POST',
          headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
          timeout: req.timeoutMs,
          lookup: (_host, opts, cb) => {
            if ((opts as { all?: boolean }).all) (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
            else cb(null, target.address, target.family);
          },
        },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0 });
        },
      );
      r.on('timeout', () => r.destroy(new Error(`no answer in ${req.timeoutMs} ms`)));
      r.on('error', reject);
      r.end(req.body);
    });
  };
}

/** One sweep: every pending delivery tried once. Returns how many were delivered. */
export async function deliverWebhooks(store: Transactor<{ screening: ScreeningStore }>, opts: WebhookOptions): Promise<number> {
  const send = opts.send ?? guardedSender({ allow: [] });
  let delivered = 0;
  for (const u of await store.repos.screening.pendingWebhooks(100)) {
    let ok = false;
    let error = '';
    try {
      const body = JSON.stringify(webhookBody(u));
      const timestamp = Math.floor(opts.clock.now().getTime() / 1000);
      const res = await send({
        url: u.webhookUrl!,
        headers: {
          'content-type': 'application/json',
          'x-ledgerline-upload': u.id,
          'x-ledgerline-timestamp': String(timestamp),
          'x-ledgerline-signature': webhookSignature(await opts.secretFor(u.id), timestamp, body),
        },
        body,
        timeoutMs: opts.timeoutMs ?? 5000,
      });
      ok = res.status >= 200 && res.status < 300;
      if (!ok) error = `HTTP ${res.status}${res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : ''}`;
    } catch (e) {
      error = (e as Error).message;
    }
    if (ok) delivered++;
    else opts.onError?.({ ...u, webhookUrl: u.webhookUrl && redactUrl(u.webhookUrl) }, error);
    await store.repos.screening.recordWebhook(u.id, ok ? 'delivered' : u.webhookAttempts + 1 >= MAX_ATTEMPTS ? 'failed' : 'pending');
  }
  return delivered;
}

/** Runs sweeps every `intervalMs` until stopped. */
export function startWebhooks(store: Transactor<{ screening: ScreeningStore }>, opts: WebhookOptions): { stop(): Promise<void> } {
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
