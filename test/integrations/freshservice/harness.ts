// Starts a sandbox Freshservice and a real client pointed at it for one test file, plus small helpers to
// drive the sandbox's admin and actor endpoints over HTTP.
import {
  createFreshserviceClient,
  type FreshserviceClient,
  type FreshserviceClientOptions,
} from '../../../src/integrations/freshservice';
import { VendorError } from '../../../src/integrations/errors';
import {
  startFreshserviceSandbox,
  type FreshserviceSandboxOptions,
  type RunningFreshserviceSandbox,
} from '../../../src/sandbox/freshservice';

export const TEST_API_KEY = 'test-fs-api-key-0001';

export type Harness = {
  sandbox: RunningFreshserviceSandbox;
  client: FreshserviceClient;
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
};

export async function startHarness(
  opts: Partial<FreshserviceSandboxOptions> = {},
  clientOpts: Partial<FreshserviceClientOptions> = {},
): Promise<Harness> {
  const sandbox = await startFreshserviceSandbox({ apiKeys: [TEST_API_KEY], ...opts });
  const client = createFreshserviceClient({
    baseUrl: sandbox.publicUrl,
    apiKey: TEST_API_KEY,
    timeoutMs: 5_000,
    lowBudget: { pauseMs: 0 },
    ...clientOpts,
  });
  const admin = async <T = unknown>(method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sandbox.url}/__sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  return { sandbox, client, admin, close: () => sandbox.close() };
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Runs `fn` and returns the VendorError it throws (fails the test otherwise). */
export async function vendorError(fn: () => Promise<unknown>): Promise<VendorError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof VendorError) return err;
    throw err;
  }
  throw new Error('expected the call to fail with a VendorError');
}
