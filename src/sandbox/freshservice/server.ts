// Starts the sandbox Freshservice: builds the store (from the data file when one exists, else the chosen
// seed), the automator, faults and rate limits, listens, and keeps the data file current until close.
import { z } from 'zod';
import type { Logger } from '../../logging';
import { FaultInjector } from '../common/faults';
import { listen } from '../common/http-server';
import { JsonFilePersistence } from '../common/persistence';
import { WindowRateLimiter } from '../common/rate-limit';
import { createFreshserviceSandboxApp } from './app';
import {
  Automator,
  ZAutomatorRule,
  ZDeliverySettings,
  type TAutomatorRule,
  type TDeliverySettings,
} from './automator';
import { ZRateLimits, type RateLimitsInput, type TRateLimits } from './rate-limits';
import type { StoreSnapshot } from './records';
import { seedDemo } from './seed';
import { FreshserviceStore } from './store';

export type FreshserviceSandboxOptions = {
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Absolute base used in `Location` and `link` headers (default: the listen URL). */
  publicUrl?: string;
  /** JSON persistence; undefined = memory only. */
  dataFile?: string;
  /** Accepted Basic `<apikey>:X` keys. */
  apiKeys: string[];
  /** Applied only when there is no persisted state. Default 'demo'. */
  seed?: 'demo' | 'empty';
  /** Per-minute limits; defaults are the Enterprise numbers. */
  rateLimits?: RateLimitsInput;
  /** Default 60000; tests shorten it. */
  rateWindowMs?: number;
  logger?: Logger;
  /** Mount /__sandbox (default true). */
  admin?: boolean;
  /** The first ticket id of a new tenant (default 1). */
  firstTicketId?: number;
};

export type RunningFreshserviceSandbox = {
  url: string;
  port: number;
  /** The URL clients should use as baseUrl (publicUrl when set). */
  publicUrl: string;
  store: FreshserviceStore;
  automator: Automator;
  faults: FaultInjector;
  /** Writes the data file now (also done on close). */
  flush(): void;
  close(): Promise<void>;
};

type PersistedState = {
  version: 1;
  store: StoreSnapshot;
  automator: { rules: TAutomatorRule[]; delivery: TDeliverySettings };
};

/** Enough shape checking to refuse a foreign or corrupt file with a clear message. */
const ZPersisted = z.object({
  version: z.literal(1),
  store: z.looseObject({
    version: z.literal(1),
    counters: z.record(z.string(), z.number()),
    users: z.array(z.unknown()),
    tickets: z.array(z.unknown()),
  }),
  automator: z.object({ rules: z.array(ZAutomatorRule), delivery: ZDeliverySettings }),
});

const SAVE_DEBOUNCE_MS = 200;

export async function startFreshserviceSandbox(
  opts: FreshserviceSandboxOptions,
): Promise<RunningFreshserviceSandbox> {
  if (opts.apiKeys.length === 0)
    throw new Error('startFreshserviceSandbox: at least one API key is required');
  const store = new FreshserviceStore();
  let publicUrl = opts.publicUrl?.replace(/\/+$/, '');
  const automator = new Automator(store, () => publicUrl ?? '', opts.logger);
  const persistence = opts.dataFile ? new JsonFilePersistence<PersistedState>(opts.dataFile, 0) : undefined;

  const loaded = persistence?.load();
  if (loaded !== undefined) {
    const checked = ZPersisted.safeParse(loaded);
    if (!checked.success) {
      throw new Error(
        `sandbox freshservice: ${opts.dataFile} is not a sandbox data file: ${z.prettifyError(checked.error)}`,
      );
    }
    store.restore(loaded.store);
    automator.setRules(checked.data.automator.rules);
    automator.setSettings(checked.data.automator.delivery);
  } else if ((opts.seed ?? 'demo') === 'demo') {
    seedDemo(store);
  }
  if (loaded === undefined && opts.firstTicketId) store.startTicketIdsAt(opts.firstTicketId);

  let rateLimits: TRateLimits = ZRateLimits.parse(opts.rateLimits ?? {});
  const limiter = new WindowRateLimiter(opts.rateWindowMs ?? 60_000);
  // Rule ids are persisted with the account, so a restart never hands one out again.
  const faults = new FaultInjector({ next: () => store.issueId('faultRule') });

  // Snapshots are built at most every SAVE_DEBOUNCE_MS, not on every change (stores can hold 1,000s of tickets).
  let saveTimer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    if (!persistence) return;
    persistence.save({
      version: 1,
      store: store.snapshot(),
      automator: { rules: automator.getRules(), delivery: automator.getSettings() },
    });
    persistence.flush();
  };
  const scheduleSave = () => {
    if (!persistence || saveTimer) return;
    saveTimer = setTimeout(flush, SAVE_DEBOUNCE_MS);
    saveTimer.unref();
  };
  store.onChange(scheduleSave);
  automator.onConfigChange(scheduleSave);
  if (persistence && loaded === undefined) flush();

  const app = createFreshserviceSandboxApp({
    store,
    automator,
    faults,
    limiter,
    getRateLimits: () => rateLimits,
    setRateLimits: (l) => {
      rateLimits = l;
    },
    apiKeys: opts.apiKeys,
    publicUrl: () => publicUrl ?? '',
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.admin !== undefined ? { admin: opts.admin } : {}),
  });
  const running = await listen(app, opts.host ?? '127.0.0.1', opts.port ?? 0);
  publicUrl ??= running.url;
  opts.logger?.info(
    { url: running.url, publicUrl, dataFile: opts.dataFile },
    'sandbox freshservice listening',
  );

  return {
    url: running.url,
    port: running.port,
    publicUrl,
    store,
    automator,
    faults,
    flush,
    close: async () => {
      automator.close();
      await running.close();
      flush();
    },
  };
}
