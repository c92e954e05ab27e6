// The one composition root. It opens the store on its engine, the job queue (the jobs table when
// there is no Redis, BullMQ when there is), the fingerprint index, and builds every capability's
// service with its effects; it starts the background work a serving process owns. `serve`,
// `worker`, the CLI commands and the tests take ready services from here and build none
// themselves. docs/architecture.md says how a new capability joins.

import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CompositionSearch, type AttributionDeps } from '../attribution/index.ts';
import { KeyedPseudonyms, type PrivacyDeps } from '../privacy/index.ts';
import { releaseWithheld, type RoyaltyDeps } from '../royalties/index.ts';
import { applyRetention, DEFAULT_RETENTION_DAYS, type ReleaseOutcome, type StreamsDeps } from '../streams/index.ts';
import { AuthThrottle, KeyVerifier, type ThrottleLimits } from '../auth/index.ts';
import type { CatalogDeps } from '../catalog/index.ts';
import { ConsentView, type ConsentDeps } from '../consent/index.ts';
import { DEFAULT_CONFIG, SegmentIndex, type FingerprintDeps, type FingerprintIndex } from '../fingerprint/index.ts';
import { BullQueue, JobRegistry, TableQueue, WorkerPool, checkRedisUrl, type JobListener, type JobQueue } from '../jobs/index.ts';
import { adoptKey, keyRing, noticeRevocations, type KeyRingOptions, type LicensingDeps } from '../licensing/index.ts';
import {
  DEFAULT_POLICY,
  directoryBlobStore,
  guardedSender,
  readPolicy,
  requeueStale,
  startWebhooks,
  targetPolicyFromEnv,
  type Policy,
  type ScreeningDeps,
  type TargetPolicy,
  type WebhookOptions,
} from '../screening/index.ts';
import { loadOrCreateSecret, systemClock, type Caller, type Clock } from '../shared/index.ts';
import { openStore, PgFingerprintIndex, privateDataDir, type Repositories, type Store, type StoreConfig } from '../store/index.ts';
import { allJobs, type RuntimeServices } from './jobs.ts';

/** How the services are put together over an open store. */
export interface ComposeConfig {
  redisUrl?: string;
  /** Worker threads for job work; default: one per core. */
  threads?: number;
  /** Redis key prefix of the BullMQ queue (default "ll", or LEDGERLINE_QUEUE_PREFIX), joined with the PostgreSQL schema. */
  queuePrefix?: string;
  onJobEvent?: JobListener;
  /** How often the jobs table is polled for work, in ms (tests make it quick). */
  pollMs?: number;
  /** Where uploads are kept (default: beside the embedded data, or LEDGERLINE_UPLOADS_DIR, or ./.ledgerline-uploads). */
  uploadsDir?: string;
  /** The screening policy file (JSON or YAML; default LEDGERLINE_POLICY, else the built-in policy). */
  policyFile?: string;
  /** Where the manifest-signing key files are (default LEDGERLINE_KEYS_DIR, else beside the embedded data, else ./.ledgerline-keys). */
  keysDir?: string;
  /** Failed-authentication limits (default: 20 a minute per address, 50 per key id). */
  authThrottle?: ThrottleLimits;
  /** Where webhooks may go (default: public addresses, plus LEDGERLINE_WEBHOOK_ALLOW). */
  webhookTargets?: TargetPolicy;
  clock?: Clock;
}

export interface RuntimeConfig extends StoreConfig, ComposeConfig {}

/** The uploads directory: embedded data keeps them beside the database; a shared database needs a shared directory. */
function uploadsDirFor(store: Store, given?: string): string {
  if (given) return resolve(given);
  if (process.env.LEDGERLINE_UPLOADS_DIR) return resolve(process.env.LEDGERLINE_UPLOADS_DIR);
  return store.engine === 'pglite' ? join(store.location, 'uploads') : resolve('.ledgerline-uploads');
}

/** The signing key's place: never the database (see licensing/keyring.ts). */
function keyRingOptions(store: Store, given?: string): KeyRingOptions {
  const dir = given ?? process.env.LEDGERLINE_KEYS_DIR ?? (store.engine === 'pglite' ? join(store.location, 'keys') : '.ledgerline-keys');
  return { dir: resolve(dir), passphrase: process.env.LEDGERLINE_KEY_PASSPHRASE || undefined, pem: process.env.LEDGERLINE_SIGNING_KEY || undefined };
}

/**
 * Moves private keys an older version kept in the database to key files and clears them there,
 * so a copy of the database alone can no longer sign. Copies made before (backups, the WAL's
 * history) still hold them: rotate the key after upgrading (docs/security.md).
 */
export async function moveKeysOutOfDatabase(store: Store, opts: KeyRingOptions): Promise<number> {
  const legacy = await store.repos.licensing.legacyPrivateKeys();
  for (const k of legacy) await adoptKey(opts, k.privateKeyPem, k.createdAt);
  await store.repos.licensing.forgetPrivateKeys(legacy.map((k) => k.id));
  return legacy.length;
}

/** What a serving process runs besides requests; `stop` ends it. */
export interface Background {
  stop(): Promise<void>;
}

export interface Runtime {
  store: Store;
  clock: Clock;
  keys: KeyVerifier;
  queue: JobQueue;
  /** Worker threads for CPU-bound work (decode, fingerprint, detect); owned by the queue. */
  pool: WorkerPool;
  /** Catalog operations; a committed catalog write makes the consent view look again before its next answer. */
  catalog: CatalogDeps;
  /** Consent operations with their in-memory check view, wired to licensing's revocation notices. */
  consent: ConsentDeps<Repositories>;
  licensing: LicensingDeps;
  /** Upload intake and the review queue. */
  screening: ScreeningDeps;
  /** Adding and matching audio, with the index opened on first use. */
  fingerprints(): Promise<FingerprintDeps>;
  attribution(): Promise<AttributionDeps>;
  /** Stream events, artificial-streaming scans and listeners' rights, with the pseudonym secrets opened on first use. */
  streams(): Promise<StreamsDeps & PrivacyDeps>;
  /** The royalties ledger: revenue, allocation, statements, payouts. */
  royalties: RoyaltyDeps;
  /** The fingerprint index of this deployment, opened on first use. */
  fingerprintIndex(): Promise<FingerprintIndex>;
  /** Where uploads are kept for screening; every worker process must reach the same directory. */
  uploadsDir: string;
  /** Where key files are kept (signing keys, listener pseudonym secrets), never the database. */
  keysDir: string;
  /** How webhook deliveries are sent and signed (what startBackground's loop uses). */
  webhooks: WebhookOptions;
  /** Starts webhook deliveries and the sweep that requeues uploads a crash left behind. */
  startBackground(log: { warn(data: Record<string, unknown>, message: string): void }): Background;
  close(opts?: { graceMs?: number }): Promise<void>;
}

/**
 * The fingerprint index that goes with a store: postings in PostgreSQL for a shared database,
 * segment files beside the data of an embedded one.
 */
export async function openFingerprintIndex(store: Store): Promise<FingerprintIndex> {
  if (store.engine === 'postgres') return new PgFingerprintIndex(store.db);
  return SegmentIndex.open(join(store.location, 'fingerprints'), DEFAULT_CONFIG.version);
}

/** The Redis key prefix: two deployments (PostgreSQL schemas) on one Redis never share a queue. */
export function queuePrefixFor(store: Store, given?: string): string {
  const base = given ?? process.env.LEDGERLINE_QUEUE_PREFIX ?? 'll';
  return store.engine === 'postgres' && store.schema !== 'public' ? `${base}:${store.schema}` : base;
}

export async function openRuntime(cfg: RuntimeConfig): Promise<Runtime> {
  if (cfg.redisUrl) checkRedisUrl(cfg.redisUrl);
  const store = await openStore(cfg);
  await moveKeysOutOfDatabase(store, keyRingOptions(store, cfg.keysDir));
  // Uploads hold partners' unreleased audio: private to the service user like the data.
  await privateDataDir(uploadsDirFor(store, cfg.uploadsDir));
  return composeRuntime(store, cfg);
}

/** Releases, month by month over a cleared finding's period, what its streams had withheld. */
async function releaseCleared(royalties: RoyaltyDeps, caller: Caller, finding: { periodFrom: string; periodTo: string }): Promise<ReleaseOutcome[]> {
  const out: ReleaseOutcome[] = [];
  const to = Date.parse(finding.periodTo);
  for (let month = new Date(finding.periodFrom.slice(0, 7) + '-01T00:00:00Z'); month.getTime() < to; month.setUTCMonth(month.getUTCMonth() + 1)) {
    const period = month.toISOString().slice(0, 7);
    try {
      const r = await releaseWithheld(royalties, caller, period);
      const totals = new Map<string, number>();
      for (const x of r.released) totals.set(x.currency, (totals.get(x.currency) ?? 0) + x.amount);
      for (const [currency, amount] of totals) out.push({ period, postedIn: r.postedIn, currency, amount });
    } catch (err) {
      out.push({ period, failed: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

/** Folds every organisation's stream events past the retention window into daily aggregates. */
async function retainStreams(store: Store, streams: () => Promise<StreamsDeps>): Promise<void> {
  const deps = await streams();
  for (const org of await store.repos.catalog.listOrganisations()) await applyRetention(deps, { orgId: org.id, actor: 'system:retention' });
}

/** Builds every service over an open store; closing the runtime closes the store too. */
export function composeRuntime(store: Store, cfg: ComposeConfig = {}): Runtime {
  if (cfg.redisUrl) checkRedisUrl(cfg.redisUrl);
  const clock = cfg.clock ?? systemClock;
  let index: Promise<FingerprintIndex> | null = null;
  const fingerprintIndex = () => (index ??= openFingerprintIndex(store));
  const policyFile = cfg.policyFile ?? process.env.LEDGERLINE_POLICY;
  const policy: Policy = policyFile ? readPolicy(readFileSync(policyFile, 'utf8'), policyFile) : DEFAULT_POLICY;
  const pool = new WorkerPool(cfg.threads);
  const works = new CompositionSearch(pool);
  const registry = new JobRegistry<Repositories, RuntimeServices>(allJobs, { clock, fingerprintIndex, policy, works });
  const queue: JobQueue = cfg.redisUrl
    ? new BullQueue({ redisUrl: cfg.redisUrl, store, pool, registry, prefix: queuePrefixFor(store, cfg.queuePrefix), onEvent: cfg.onJobEvent })
    : new TableQueue({ store, pool, registry, onEvent: cfg.onJobEvent, ...(cfg.pollMs ? { pollMs: cfg.pollMs } : {}) });
  // Consent wired to licensing: every withdrawal notifies the licensees whose manifests it reaches.
  const consent: ConsentDeps<Repositories> = {
    store,
    clock,
    view: new ConsentView(store.repos.consent, 250, clock),
    afterChange: async (r, change) => void (await noticeRevocations(r, clock, change)),
  };
  const catalog: CatalogDeps = {
    clock,
    store: {
      repos: store.repos,
      async transaction(fn) {
        const out = await store.transaction(fn);
        consent.view.touch();
        return out;
      },
    },
  };
  const uploadsDir = uploadsDirFor(store, cfg.uploadsDir);
  const keyOpts = keyRingOptions(store, cfg.keysDir);
  // Each upload's webhook secret is derived from one server key (so none is stored), kept with
  // the signing key, or given as LEDGERLINE_WEBHOOK_KEY (hex) to share across machines.
  let webhookKey: Promise<Buffer> | null = null;
  const webhookSecret = async (uploadId: string) => {
    webhookKey ??= process.env.LEDGERLINE_WEBHOOK_KEY ? Promise.resolve(Buffer.from(process.env.LEDGERLINE_WEBHOOK_KEY, 'hex')) : loadOrCreateSecret(join(keyOpts.dir, 'webhook.key'));
    return createHmac('sha256', await webhookKey).update(`webhook:${uploadId}`).digest('base64url');
  };
  const webhookTargets = cfg.webhookTargets ?? targetPolicyFromEnv();
  const screening: ScreeningDeps = { store, clock, queue, blobs: directoryBlobStore(uploadsDir), newId: randomUUID, webhookTargets, webhookSecret };
  // Listener pseudonym secrets live with the other keys, never in the database.
  let pseudonyms: Promise<KeyedPseudonyms> | null = null;
  const royalties: RoyaltyDeps = { store, clock };
  const streams = async (): Promise<StreamsDeps & PrivacyDeps> => ({
    store,
    clock,
    newId: randomUUID,
    pseudonyms: await (pseudonyms ??= KeyedPseudonyms.open(join(keyOpts.dir, 'listener-keys'))),
    retentionDays: Number(process.env.LEDGERLINE_STREAM_RETENTION_DAYS) || DEFAULT_RETENTION_DAYS,
    onCleared: (caller, finding) => releaseCleared(royalties, caller, finding),
  });
  const webhooks: WebhookOptions = { clock, secretFor: webhookSecret, send: guardedSender(webhookTargets) };
  return {
    store,
    clock,
    keys: new KeyVerifier(store.repos.auth, 30_000, new AuthThrottle(cfg.authThrottle)),
    queue,
    pool,
    catalog,
    consent,
    licensing: { store, clock, keys: keyRing(keyOpts) },
    webhooks,
    screening,
    fingerprints: async () => ({ store, clock, index: await fingerprintIndex(), pool }),
    attribution: async () => ({ store, clock, index: await fingerprintIndex(), pool, works, newId: randomUUID, queue, blobs: screening.blobs }),
    streams,
    royalties,
    fingerprintIndex,
    uploadsDir,
    keysDir: keyOpts.dir,
    startBackground(log) {
      const deliveries = startWebhooks(store, { ...webhooks, onError: (u, error) => log.warn({ upload: u.id, url: u.webhookUrl, error }, 'webhook delivery failed') });
      // Uploads a crash left queued go back to the queue; ones whose job gave up are failed.
      // A .part file older than an hour is a write a killed process never finished.
      const sweep = setInterval(() => {
        void requeueStale(screening).catch((err) => log.warn({ err }, 'upload sweep failed'));
        void retainStreams(store, streams).catch((err) => log.warn({ err }, 'stream retention failed'));
        void screening.blobs.removeStale(clock.now().getTime(), 3_600_000).catch((err) => log.warn({ err }, 'partial upload sweep failed'));
      }, 60_000);
      sweep.unref();
      return {
        async stop() {
          clearInterval(sweep);
          await deliveries.stop();
        },
      };
    },
    close: async (opts) => {
      await queue.close(opts);
      if (index) await (await index).close();
      await store.close();
    },
  };
}
