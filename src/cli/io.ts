// What every CLI command shares: injected output writers and environment (so tests run commands in-process),
// argument parsing with `util.parseArgs` that turns mistakes into usage errors (exit 2), config loading, and
// one Temporal connection per command that is always closed.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, type Config } from '../config';
import { createLogger, type Logger } from '../logging';
import { temporalConnectOptions } from '../temporal/connection';

/** Results go to `stdout`, progress and errors to `stderr`; `env` is what loadConfig reads. */
export type CliIo = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
};

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A bad command line or a missing setting the command needs: printed as is, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type OptionsSpec = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses one command's options strictly (unknown options and positionals are usage errors). `--help` is
 * added to every command; the caller prints its usage when `help` is true.
 */
export function parseCommandArgs<O extends OptionsSpec>(argv: string[], options: O) {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    return values;
  } catch (err) {
    // parseArgs throws TypeErrors with a code (ERR_PARSE_ARGS_UNKNOWN_OPTION, …) and a readable message.
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

export function commandConfig(io: CliIo): Config {
  return loadConfig(io.env);
}

/** A JSON logger on stderr, so stdout keeps only results. */
export function stderrLogger(io: CliIo, config: Config, name: string): Logger {
  return createLogger({ level: config.logLevel, name }, { write: (line: string) => io.stderr(line) });
}

export function temporalAddress(config: Config): string {
  return config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`;
}

/** Connects to the configured Temporal (or the local dev server), runs `fn`, and always closes. */
export async function withTemporal<T>(
  config: Config,
  fn: (client: Client, connection: Connection) => Promise<T>,
): Promise<T> {
  const connection = await Connection.connect(
    temporalConnectOptions(config.temporal, `127.0.0.1:${config.temporal.devPort}`),
  );
  try {
    return await fn(new Client({ connection, namespace: config.temporal.namespace }), connection);
  } finally {
    await connection.close();
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
