// `npm run cli -- <command>`: the operator's commands (DESIGN.md section 7), one module each. `main` takes
// its argv, output writers and environment, so tests run every command in-process; exit codes are 0 ok,
// 1 failure, 2 usage or configuration error.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { ConfigError } from '../config';
import { runDemo } from './demo';
import { runExport } from './export';
import { runFreshserviceTemplate } from './freshservice-template';
import { errorMessage, EXIT, UsageError, type CliIo } from './io';
import { runReconcile } from './reconcile';
import { runReplay } from './replay';
import { runReset } from './reset';
import { runSetup } from './setup';

export type { CliIo } from './io';

type Command = { summary: string; run: (argv: string[], io: CliIo) => Promise<number> };

const COMMANDS: Record<string, Command> = {
  setup: {
    summary: 'register the Okta event hook and search attributes; print the Freshservice rules',
    run: runSetup,
  },
  'freshservice-template': {
    summary: 'print the Freshservice Workflow Automator webhook bodies',
    run: runFreshserviceTemplate,
  },
  replay: { summary: 'replay workflow histories against the current workflow code', run: runReplay },
  reset: { summary: 'reset a workflow run to a point in its history', run: runReset },
  reconcile: {
    summary: 'run the Okta System Log and Freshservice reconcilers now (or --status)',
    run: runReconcile,
  },
  export: { summary: 'export the audit trail of requests and decisions (CSV or JSON)', run: runExport },
  demo: {
    summary: 'walk both request directions on the sandboxes of a running `npm start`',
    // The demo owns its output and reads the process environment itself.
    run: (argv) => runDemo(argv),
  },
};

export const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(22)} ${c.summary}`)
  .join('\n')}

Run \`npm run cli -- <command> --help\` for a command's options. Configuration comes from the
environment, as for \`npm start\` (see README "Configuration").
`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  // Own keys only: `cli constructor` is an unknown command, not Object's constructor.
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr(`unknown command "${name}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(err.message);
      return EXIT.usage;
    }
    if (err instanceof UsageError) {
      io.stderr(`${name}: ${err.message}\nRun \`npm run cli -- ${name} --help\` for usage.\n`);
      return EXIT.usage;
    }
    io.stderr(`${name} failed: ${errorMessage(err)}\n`);
    return EXIT.failure;
  }
}

if (require.main === module) {
  // The SDK's own logs (replay workers, bundling) go to stderr, warnings and errors only.
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => process.stderr.write(`[temporal] ${entry.message}\n`)),
  });
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${errorMessage(err)}\n`);
      process.exitCode = EXIT.failure;
    },
  );
}
