// Starts the sandbox Okta org on a port (0 = any free port) and stops it cleanly: timers for hook batches
// and OIG revocations are cleared and state is flushed to the data file on close.
import { listen } from '../common/http-server';
import { createOktaSandboxApp, OktaSandboxRuntime, type OktaSandboxOptions } from './app';
import type { OktaStore } from './store';

export { createOktaSandboxApp, OktaSandboxRuntime, type OktaSandboxOptions } from './app';
export { applySeed, demoFixture, ZSeedFixture, type TSeedFixture, type SeedResult } from './seed';
export type { HookDeliveryKnobs, HookDeliveryRecord } from './event-hooks';
export {
  OKTA_RATE_BUCKETS,
  WORKFORCE_LIMITS,
  type OktaRateBucket,
  type OktaRateLimitSettings,
} from './rate-limits';

export type RunningOktaSandbox = {
  /** Base URL clients use as the org URL (the public URL when one was given). */
  url: string;
  listenUrl: string;
  port: number;
  store: OktaStore;
  runtime: OktaSandboxRuntime;
  close(): Promise<void>;
};

export async function startOktaSandbox(opts: OktaSandboxOptions): Promise<RunningOktaSandbox> {
  const runtime = new OktaSandboxRuntime(opts);
  runtime.initialise();
  const app = createOktaSandboxApp(runtime);
  const server = await listen(app, opts.host ?? '127.0.0.1', opts.port ?? 0);
  runtime.listenUrl = server.url;
  runtime.publicUrl = (opts.publicUrl ?? server.url).replace(/\/+$/, '');
  opts.logger?.info({ url: runtime.publicUrl }, 'sandbox Okta listening');
  let closed = false;
  return {
    url: runtime.publicUrl,
    listenUrl: server.url,
    port: server.port,
    store: runtime.store,
    runtime,
    close: async () => {
      if (closed) return;
      closed = true;
      runtime.close();
      await server.close();
    },
  };
}
