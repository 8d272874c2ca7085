// What every CLI command shares: injected output writers and environment (so tests run commands in-process),
// argument parsing with `util.parseArgs` that turns mistakes into usage errors (exit 2), config loading, and
// one Temporal connection per command that is always closed.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { z } from 'zod';
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
      args: attachDashValues(argv, options),
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    return values;
  } catch (err) {
    // parseArgs throws TypeErrors with a code (ERR_PARSE_ARGS_UNKNOWN_OPTION, …) and a readable message;
    // an option left without its value is said in the CLI's own words, with the form it takes.
    const message = err instanceof Error ? err.message : String(err);
    const option = /^Option '(--[a-z-]+)/.exec(message)?.[1];
    if ((err as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
      throw new UsageError(
        `${option} needs a value: ${option} <value>, or ${option}=<value> for one that starts with -`,
      );
    }
    throw new UsageError(message);
  }
}

/**
 * `--limit -3` as `--limit=-3`: a value that starts with a dash but is no option of the command is the
 * option's value, so its own check names the option and what it accepts (parseArgs would call it
 * "ambiguous" without saying either).
 */
export function attachDashValues(argv: string[], options: OptionsSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    const takesValue = name !== undefined && Object.hasOwn(options, name) && options[name]?.type === 'string';
    if (takesValue && next !== undefined && next.startsWith('-') && !isOptionOf(next, options)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function isOptionOf(arg: string, options: OptionsSpec): boolean {
  if (arg === '--') return true;
  const name = arg.startsWith('--') ? arg.slice(2).split('=')[0] : undefined;
  if (name !== undefined) return name === 'help' || Object.hasOwn(options, name);
  const short = arg.slice(1, 2);
  return short === 'h' || Object.values(options).some((o) => o.short === short);
}

/** A whole-number option (`--limit N`), from `min` to `max`; every refusal names the option and the form. */
export function wholeNumberOption(option: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  const range = max === Number.MAX_SAFE_INTEGER ? `of ${min} or more` : `from ${min} to ${max}`;
  const message = `${option} takes a whole number ${range}, e.g. ${option} ${Math.max(min, 1)}`;
  return z
    .string({ error: message })
    .trim()
    .regex(/^[+-]?\d+$/, message)
    .transform(Number)
    .pipe(z.number().int(message).min(min, message).max(max, message));
}

/** A number option (`--query-timeout S`) above 0 and at most `max`, decimals allowed. */
export function positiveNumberOption(option: string, max: number, example: number) {
  const message = `${option} takes a number above 0 and at most ${max}, e.g. ${option} ${example}`;
  return z
    .string({ error: message })
    .trim()
    .regex(/^\+?(\d+\.?\d*|\.\d+)$/, message)
    .transform(Number)
    .pipe(z.number().positive(message).max(max, message));
}

/**
 * Parses a command's option values with `schema`, or throws a usage error per failing option: its message
 * when it names the option (`--limit takes …`), else the option's name, then zod's message.
 */
export function parseOptions<S extends z.ZodType>(schema: S, values: unknown): z.output<S> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  throw new UsageError(
    parsed.error.issues
      .map((i) => {
        const key = i.path[0];
        if (i.message.startsWith('--') || typeof key !== 'string') return i.message;
        return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message}`;
      })
      .join('; '),
  );
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
