// One structured JSON logger for every process (pino), with the redaction paths that keep secrets
// (auth headers, tokens, API keys) out of every log line, whatever object a caller hands it.
import pino, { type Logger } from 'pino';

export type { Logger };

/** Field paths that may hold a secret anywhere in a logged object. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-webhook-secret"]',
  'req.headers["x-freshservice-webhook-secret"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers.Authorization',
  'config.headers.Authorization',
  '*.apiKey',
  '*.token',
  '*.secret',
  '*.privateKey',
  '*.password',
  '*.access_token',
  '*.client_assertion',
];

export function createLogger(
  opts: { level: string; name?: string },
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level: opts.level,
      name: opts.name ?? 'access-bridge',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
