// Configuration for every process of access-bridge, parsed once from the environment with zod. Nothing
// else reads process.env: config is passed down. A bad value fails fast, naming the variable and why,
// and secrets never appear in messages or logs.
import { z } from 'zod';

const emptyToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const str = () => z.preprocess(emptyToUndefined, z.string().optional());
const secret = (min = 8) =>
  z.preprocess(emptyToUndefined, z.string().min(min, `must be at least ${min} characters`).optional());
const url = () =>
  z.preprocess(
    emptyToUndefined,
    z
      .url({ message: 'must be an absolute http(s) URL' })
      .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
  );
const int = (def: number, min: number, max: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(def));
const num = (def: number, min: number, max: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().min(min).max(max).default(def));
const port = (def: number) => int(def, 0, 65535);
/** The raw environment variables we read, one zod field each; the key is the variable's name. */
const ZEnv = z.object({
  NODE_ENV: z.preprocess(
    emptyToUndefined,
    z.enum(['development', 'production', 'test']).default('development'),
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('.data')),

  TEMPORAL_ADDRESS: str(),
  TEMPORAL_NAMESPACE: z.preprocess(emptyToUndefined, z.string().default('default')),
  TEMPORAL_API_KEY: secret(1),
  TEMPORAL_TLS_CERT_PATH: str(),
  TEMPORAL_TLS_KEY_PATH: str(),
  TEMPORAL_TLS_CA_PATH: str(),
  TEMPORAL_TLS_SERVER_NAME: str(),
  TEMPORAL_CLI_PATH: str(),
  TEMPORAL_DEV_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  /** The Temporal Web UI of a deployed cluster, for links in admin answers (the dev server's is derived). */
  TEMPORAL_UI_URL: url(),
  TEMPORAL_TASK_QUEUE: z.preprocess(emptyToUndefined, z.string().default('access-bridge')),
  OKTA_TASK_QUEUE: z.preprocess(emptyToUndefined, z.string().default('okta')),
  FRESHSERVICE_TASK_QUEUE: z.preprocess(emptyToUndefined, z.string().default('freshservice')),

  OKTA_ORG_URL: url(),
  OKTA_API_TOKEN: secret(),
  OKTA_CLIENT_ID: str(),
  OKTA_PRIVATE_KEY: secret(),
  OKTA_PRIVATE_KEY_ID: str(),
  OKTA_SCOPES: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default(
        'okta.users.read okta.users.manage okta.groups.read okta.groups.manage okta.apps.read okta.apps.manage ' +
          'okta.logs.read okta.eventHooks.manage okta.accessRequests.request.read okta.accessRequests.request.manage ' +
          'okta.accessRequests.catalog.read okta.governance.accessRequests.read okta.governance.accessRequests.manage',
      ),
  ),
  OKTA_ACTIVITIES_PER_SECOND: num(5, 0.1, 1000),
  OKTA_MAX_CONCURRENT: int(20, 1, 75),
  OKTA_CALLS_PER_MINUTE: int(0, 0, 1_000_000),

  FRESHSERVICE_DOMAIN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/i, 'must be the account name, e.g. "acme" for acme.freshservice.com')
      .optional(),
  ),
  FRESHSERVICE_BASE_URL: url(),
  FRESHSERVICE_API_KEY: secret(),
  FRESHSERVICE_ACCESS_ITEM_ID: int(1001, 1, Number.MAX_SAFE_INTEGER),
  FRESHSERVICE_ACTIVITIES_PER_SECOND: num(2, 0.1, 1000),
  FRESHSERVICE_MAX_CONCURRENT: int(10, 1, 100),

  OKTA_WEBHOOK_SECRET: secret(16),
  FRESHSERVICE_WEBHOOK_SECRET: secret(16),
  ADMIN_API_TOKEN: secret(16),

  API_HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  API_PORT: port(3000),
  PUBLIC_BASE_URL: url(),
  WEBHOOK_MAX_BODY_BYTES: int(256 * 1024, 1024, 10 * 1024 * 1024),

  WORKER_METRICS_ADDRESS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port, e.g. 0.0.0.0:9464')
      .optional(),
  ),

  ACCESS_POLICY_FILE: z.preprocess(emptyToUndefined, z.string().default('config/access-policy.yaml')),
  OKTA_ADMIN_URL: url(),

  RECONCILE_INTERVAL_SECONDS: int(300, 0, 86_400),
  RECONCILE_LOOKBACK_MINUTES: int(60, 1, 7 * 24 * 60),
  WORKFLOW_HISTORY_MAX_EVENTS: int(4000, 50, 40_000),

  SANDBOX_HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  SANDBOX_OKTA_PORT: port(3001),
  SANDBOX_FRESHSERVICE_PORT: port(3002),
});

export type TRawEnv = z.infer<typeof ZEnv>;

export type TemporalConnectionConfig = {
  /** Unset: `npm start` runs the local dev server and connects to it. */
  address: string | undefined;
  namespace: string;
  apiKey: string | undefined;
  tls:
    | { certPath: string; keyPath: string; caPath: string | undefined; serverName: string | undefined }
    | undefined;
};

export type OktaAuthConfig =
  | { kind: 'ssws'; token: string }
  | { kind: 'oauth'; clientId: string; privateKey: string; keyId: string | undefined; scopes: string[] };

export type Config = Readonly<{
  env: TRawEnv['NODE_ENV'];
  logLevel: TRawEnv['LOG_LEVEL'];
  dataDir: string;
  temporal: TemporalConnectionConfig & {
    cliPath: string | undefined;
    devPort: number;
    uiPort: number;
    /** Base URL of the Temporal Web UI, when known (TEMPORAL_UI_URL, or the dev server's). */
    uiUrl: string | undefined;
    taskQueues: { workflows: string; okta: string; freshservice: string };
    /** Prometheus endpoint of the worker's SDK metrics (and its container health check). */
    workerMetricsAddress: string | undefined;
  };
  /** `sandbox` when no Okta credentials are configured: `npm start` then runs the sandbox Okta. */
  okta:
    | {
        mode: 'real';
        orgUrl: string;
        auth: OktaAuthConfig;
        activitiesPerSecond: number;
        maxConcurrent: number;
        callsPerMinute: number;
      }
    | { mode: 'sandbox'; activitiesPerSecond: number; maxConcurrent: number; callsPerMinute: number };
  freshservice: ({ mode: 'real'; baseUrl: string; apiKey: string } | { mode: 'sandbox' }) & {
    activitiesPerSecond: number;
    maxConcurrent: number;
    /** display_id of the service catalog item that raises access requests. */
    accessCatalogItemDisplayId: number;
  };
  webhooks: { oktaSecret: string | undefined; freshserviceSecret: string | undefined; maxBodyBytes: number };
  admin: { token: string | undefined };
  api: { host: string; port: number; publicBaseUrl: string | undefined };
  sandbox: { host: string; oktaPort: number; freshservicePort: number };
  accessPolicyFile: string;
  /** Base of links to OIG requests in tickets (the Okta admin console); defaults to the org URL. */
  oktaAdminUrl: string | undefined;
  /** The reconcilers' pace: seconds between passes (0: off) and how far back a first pass reads. */
  reconcile: { intervalSeconds: number; lookbackMinutes: number };
  /** Events one run of a long-lived workflow may record before it continues as new. */
  workflowHistoryMaxEvents: number;
}>;

/** What every entry point exits with when its configuration is invalid (README, docs/OPERATIONS.md). */
export const CONFIG_ERROR_EXIT_CODE = 2;

/** The exit code for an error that ended an entry point: 2 for a bad configuration, else 1. */
export function exitCodeFor(err: unknown): number {
  return err instanceof ConfigError ? CONFIG_ERROR_EXIT_CODE : 1;
}

/** Thrown for every invalid configuration; `issues` name the variables, never their values. */
export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' + issues.map((i) => `  - ${i.variable}: ${i.message}`).join('\n') + '\n',
    );
    this.name = 'ConfigError';
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Parses and cross-checks the environment. Pure: reads only `env`, never the file system. */
export function loadConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined>): Config {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        // zod's own messages quote the received value for some checks; ours never carry a value.
        message: issue.message,
      })),
    );
  }
  const e = parsed.data;
  const issues: { variable: string; message: string }[] = [];

  let okta: Config['okta'];
  const oktaRates = {
    activitiesPerSecond: e.OKTA_ACTIVITIES_PER_SECOND,
    maxConcurrent: e.OKTA_MAX_CONCURRENT,
    /** 0: no per-process call budget (Temporal's activity rate and Okta's headers still apply). */
    callsPerMinute: e.OKTA_CALLS_PER_MINUTE,
  };
  const hasOktaCreds = Boolean(e.OKTA_API_TOKEN || e.OKTA_CLIENT_ID || e.OKTA_PRIVATE_KEY);
  if (!hasOktaCreds) {
    okta = { mode: 'sandbox', ...oktaRates };
    if (e.OKTA_ORG_URL) {
      issues.push({
        variable: 'OKTA_API_TOKEN',
        message:
          'OKTA_ORG_URL is set but no credentials: set OKTA_API_TOKEN, or OKTA_CLIENT_ID and OKTA_PRIVATE_KEY',
      });
    }
  } else if (!e.OKTA_ORG_URL) {
    issues.push({ variable: 'OKTA_ORG_URL', message: 'required when Okta credentials are set' });
    okta = { mode: 'sandbox', ...oktaRates };
  } else if (e.OKTA_API_TOKEN && (e.OKTA_CLIENT_ID || e.OKTA_PRIVATE_KEY)) {
    issues.push({
      variable: 'OKTA_API_TOKEN',
      message: 'set either OKTA_API_TOKEN or OAuth credentials, not both',
    });
    okta = { mode: 'sandbox', ...oktaRates };
  } else if (e.OKTA_API_TOKEN) {
    okta = {
      mode: 'real',
      orgUrl: e.OKTA_ORG_URL,
      auth: { kind: 'ssws', token: e.OKTA_API_TOKEN },
      ...oktaRates,
    };
  } else if (!e.OKTA_CLIENT_ID || !e.OKTA_PRIVATE_KEY) {
    issues.push({
      variable: e.OKTA_CLIENT_ID ? 'OKTA_PRIVATE_KEY' : 'OKTA_CLIENT_ID',
      message: 'OAuth needs both OKTA_CLIENT_ID and OKTA_PRIVATE_KEY (PEM)',
    });
    okta = { mode: 'sandbox', ...oktaRates };
  } else {
    if (!e.OKTA_PRIVATE_KEY.includes('PRIVATE KEY')) {
      issues.push({
        variable: 'OKTA_PRIVATE_KEY',
        message: 'must be a PEM private key (-----BEGIN PRIVATE KEY-----)',
      });
    }
    okta = {
      mode: 'real',
      orgUrl: e.OKTA_ORG_URL,
      auth: {
        kind: 'oauth',
        clientId: e.OKTA_CLIENT_ID,
        privateKey: e.OKTA_PRIVATE_KEY,
        keyId: e.OKTA_PRIVATE_KEY_ID,
        scopes: e.OKTA_SCOPES.split(/[\s,]+/).filter(Boolean),
      },
      ...oktaRates,
    };
  }

  let freshservice: Config['freshservice'];
  const fsRates = {
    activitiesPerSecond: e.FRESHSERVICE_ACTIVITIES_PER_SECOND,
    maxConcurrent: e.FRESHSERVICE_MAX_CONCURRENT,
    accessCatalogItemDisplayId: e.FRESHSERVICE_ACCESS_ITEM_ID,
  };
  if (e.FRESHSERVICE_DOMAIN && e.FRESHSERVICE_BASE_URL) {
    issues.push({
      variable: 'FRESHSERVICE_BASE_URL',
      message: 'set either FRESHSERVICE_DOMAIN or FRESHSERVICE_BASE_URL',
    });
  }
  const fsBase =
    e.FRESHSERVICE_BASE_URL ??
    (e.FRESHSERVICE_DOMAIN ? `https://${e.FRESHSERVICE_DOMAIN}.freshservice.com` : undefined);
  if (!e.FRESHSERVICE_API_KEY) {
    freshservice = { mode: 'sandbox', ...fsRates };
    if (fsBase) {
      issues.push({
        variable: 'FRESHSERVICE_API_KEY',
        message: 'required when a Freshservice domain or URL is set',
      });
    }
  } else if (!fsBase) {
    issues.push({
      variable: 'FRESHSERVICE_DOMAIN',
      message: 'FRESHSERVICE_API_KEY is set: also set FRESHSERVICE_DOMAIN (or FRESHSERVICE_BASE_URL)',
    });
    freshservice = { mode: 'sandbox', ...fsRates };
  } else {
    freshservice = { mode: 'real', baseUrl: fsBase, apiKey: e.FRESHSERVICE_API_KEY, ...fsRates };
  }

  if (e.NODE_ENV === 'production') {
    for (const variable of [
      'OKTA_WEBHOOK_SECRET',
      'FRESHSERVICE_WEBHOOK_SECRET',
      'ADMIN_API_TOKEN',
    ] as const) {
      if (!e[variable]) issues.push({ variable, message: 'required when NODE_ENV=production' });
    }
    if (okta.mode === 'sandbox')
      issues.push({ variable: 'OKTA_ORG_URL', message: 'production needs a real Okta org' });
    if (freshservice.mode === 'sandbox') {
      issues.push({
        variable: 'FRESHSERVICE_DOMAIN',
        message: 'production needs a real Freshservice account',
      });
    }
    if (!e.TEMPORAL_ADDRESS) {
      issues.push({ variable: 'TEMPORAL_ADDRESS', message: 'production needs a Temporal cluster address' });
    }
  }

  if (Boolean(e.TEMPORAL_TLS_CERT_PATH) !== Boolean(e.TEMPORAL_TLS_KEY_PATH)) {
    issues.push({
      variable: e.TEMPORAL_TLS_CERT_PATH ? 'TEMPORAL_TLS_KEY_PATH' : 'TEMPORAL_TLS_CERT_PATH',
      message: 'mTLS needs both TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH',
    });
  }
  if ((e.TEMPORAL_API_KEY || e.TEMPORAL_TLS_CERT_PATH) && !e.TEMPORAL_ADDRESS) {
    issues.push({
      variable: 'TEMPORAL_ADDRESS',
      message: 'required when Temporal TLS or an API key is configured',
    });
  }
  if (e.TEMPORAL_ADDRESS && !/^[^\s:/]+(:\d{1,5})?$/.test(e.TEMPORAL_ADDRESS)) {
    issues.push({
      variable: 'TEMPORAL_ADDRESS',
      message: 'must be host:port, e.g. my-ns.a1b2c.tmprl.cloud:7233',
    });
  }

  if (issues.length > 0) throw new ConfigError(issues);

  return deepFreeze({
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    dataDir: e.DATA_DIR,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      apiKey: e.TEMPORAL_API_KEY,
      tls:
        e.TEMPORAL_TLS_CERT_PATH && e.TEMPORAL_TLS_KEY_PATH
          ? {
              certPath: e.TEMPORAL_TLS_CERT_PATH,
              keyPath: e.TEMPORAL_TLS_KEY_PATH,
              caPath: e.TEMPORAL_TLS_CA_PATH,
              serverName: e.TEMPORAL_TLS_SERVER_NAME,
            }
          : undefined,
      cliPath: e.TEMPORAL_CLI_PATH,
      devPort: e.TEMPORAL_DEV_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      uiUrl:
        e.TEMPORAL_UI_URL?.replace(/\/+$/, '') ??
        (e.TEMPORAL_ADDRESS ? undefined : `http://127.0.0.1:${e.TEMPORAL_UI_PORT}`),
      taskQueues: {
        workflows: e.TEMPORAL_TASK_QUEUE,
        okta: e.OKTA_TASK_QUEUE,
        freshservice: e.FRESHSERVICE_TASK_QUEUE,
      },
      workerMetricsAddress: e.WORKER_METRICS_ADDRESS,
    },
    okta,
    freshservice,
    webhooks: {
      oktaSecret: e.OKTA_WEBHOOK_SECRET,
      freshserviceSecret: e.FRESHSERVICE_WEBHOOK_SECRET,
      maxBodyBytes: e.WEBHOOK_MAX_BODY_BYTES,
    },
    admin: { token: e.ADMIN_API_TOKEN },
    api: { host: e.API_HOST, port: e.API_PORT, publicBaseUrl: e.PUBLIC_BASE_URL },
    sandbox: {
      host: e.SANDBOX_HOST,
      oktaPort: e.SANDBOX_OKTA_PORT,
      freshservicePort: e.SANDBOX_FRESHSERVICE_PORT,
    },
    accessPolicyFile: e.ACCESS_POLICY_FILE,
    oktaAdminUrl: e.OKTA_ADMIN_URL,
    reconcile: {
      intervalSeconds: e.RECONCILE_INTERVAL_SECONDS,
      lookbackMinutes: e.RECONCILE_LOOKBACK_MINUTES,
    },
    workflowHistoryMaxEvents: e.WORKFLOW_HISTORY_MAX_EVENTS,
  } satisfies Config);
}

/** Every variable `loadConfig` reads, for the README table test and `.env.example`. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(ZEnv.shape);
