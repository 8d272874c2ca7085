// Mutation testing (issue #12): StrykerJS mutates the pure decision code (the access policy, Okta intake
// planning, the webhook body schemas and the workflows' pure helpers) and runs only the unit tests against
// each mutant, so `npm run test:mutation` shows which behaviour no test pins down. No Temporal server.
// The tap runner starts each test file with Node's built-in runner (TAP output); per-file coverage means a
// mutant runs only the test files that reach it. The sandbox is compiled to JavaScript once (tsc, no type
// check) so each of the thousands of test processes skips tsx's start-up, which costs more than the tests.

/**
 * What is mutated. A `file:from-to` entry mutates only those lines: the rest of that file needs a
 * workflow context or a Temporal client, which unit tests do not have. Move the range when the file moves.
 */
const mutate = [
  'src/policy/**/*.ts',
  'src/intake/*.ts',
  // The event-hook envelope and the Freshservice template body (the routers around them are HTTP).
  'src/api/webhooks/okta.ts:25-30',
  'src/api/webhooks/freshservice.ts:25-36',
  'src/api/webhooks/freshservice.ts:52-61',
  'src/workflows/*/contract.ts',
  'src/workflows/shared/format.ts',
  'src/workflows/catalog-access/state.ts',
  'src/workflows/shared/vendor-refusal.ts',
  // failureType and failureMessage; the activity proxies above them are Temporal configuration.
  'src/workflows/shared/activity-proxies.ts:37-50',
  // landedDecision and refusalOutcome; waitUntil is a workflow timer.
  'src/workflows/catalog-access/decisions.ts:1-28',
  'src/workflows/catalog-access/carried-run.ts',
  // The vendors' status codes in the product's words (the Freshservice lines: ticketStanding).
  'src/integrations/okta/codes.ts',
  'src/integrations/freshservice/codes.ts:19-29',
  'src/workflows/shared/vendor-words.ts',
  'src/workflows/okta-access-request/notes.ts',
  // catalogOwnerOf; forwardEvents signals other workflows.
  'src/workflows/okta-access-request/forwarding.ts:46-66',
];

/**
 * The unit tests that reach the mutated code. The others (config loading, the CLI install script, the Okta
 * call budget) mutate nothing here, and a mutant in module-level code (a zod schema) runs every listed file.
 */
const testFiles = [
  'test/unit/policy-evaluation.test.js',
  'test/unit/policy.test.js',
  'test/unit/policy-file.test.js',
  'test/unit/calendar-date.test.js',
  'test/unit/policy-requested-resource.test.js',
  'test/unit/identity.test.js',
  'test/unit/intake-plan.test.js',
  'test/unit/intake-routing.test.js',
  'test/unit/intake-table.test.js',
  'test/unit/webhook-bodies.test.js',
  'test/unit/workflow-ids.test.js',
  'test/unit/vendor-refusal.test.js',
  'test/unit/okta-request-helpers.test.js',
  'test/unit/catalog-helpers.test.js',
  'test/unit/ticket-routing.test.js',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate,
  testRunner: 'tap',
  tap: {
    testFiles,
    nodeArgs: ['--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
    forceBail: true,
  },
  coverageAnalysis: 'perTest',
  // In the sandbox only: each .ts gets its .js beside it, so tests' relative paths to config/ still hold.
  buildCommand: 'tsc -p tsconfig.json --noCheck --outDir . --sourceMap false',
  // The project's machine has 2 cores and other test runs share it.
  concurrency: 2,
  timeoutMS: 10_000,
  ignorePatterns: ['dist', 'dist-test', '.data', 'bench/results', 'coverage', 'reports', '.stryker-tmp'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: 80 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
