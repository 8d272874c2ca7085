// Lint rules for access-bridge: type-aware typescript-eslint, plus the import boundaries of DESIGN.md
// sections 2 and 2a: workflows stay deterministic and import only their own folder, workflows/shared and
// other capabilities' contracts; code outside src/workflows imports only contracts; policy stays pure;
// integrations know nothing of Temporal; activities import neither the worker nor the sandbox; and no
// import cycle anywhere in src (import-x/no-cycle, a maintained fork of eslint-plugin-import).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** Outside src/workflows only contracts (and the contract registry) may be imported from it. */
const contractsOnly = {
  regex: '(^|/)workflows(/index)?(/(?![a-z-]+/contract$|contracts$).*)?$',
  message: 'Outside src/workflows, import a capability contract (workflows/<capability>/contract) only.',
};
/** The entry points and layers no library layer may reach up into. */
const noEntryPoints = {
  group: ['**/worker', '**/main', '**/cli/**', '**/api/**', '**/sandbox/**'],
  message: 'Not from this layer (DESIGN.md section 2): the worker is the composition root.',
};

const restrict = (paths, patterns = []) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: paths.map((p) =>
        typeof p === 'string' ? { name: p, message: 'Not allowed in this layer.' } : p,
      ),
      patterns,
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-test/',
      '.data/',
      'bench/results/',
      'coverage/',
      'reports/',
      '.stryker-tmp/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's describe/it return promises the runner itself tracks.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'error',
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression', message: 'Workflows import statically: no dynamic import().' },
        {
          selector:
            "BinaryExpression:matches([left.property.name=/(^s|S)tatus$/][right.raw=/^[0-9]/], [right.property.name=/(^s|S)tatus$/][left.raw=/^[0-9]/], [left.property.name='statusName'][right.type='Literal'], [right.property.name='statusName'][left.type='Literal'])",
          message:
            "A vendor status code in a workflow: compare the product's words (workflows/shared/vendor-words.ts).",
        },
      ],
      ...restrict(
        [
          ...nodeBuiltins.map((name) => ({
            name,
            message: 'Workflows are deterministic: no Node built-ins.',
          })),
          { name: 'axios', message: 'Workflows do no I/O: call an activity.' },
          { name: 'express', message: 'Workflows do no I/O.' },
          { name: '@temporalio/activity', message: 'Activity code runs on the worker, not in workflows.' },
          { name: '@temporalio/worker', message: 'Not available in the workflow sandbox.' },
          { name: '@temporalio/client', message: 'Not available in the workflow sandbox.' },
          { name: 'pino', message: 'Use log from @temporalio/workflow.' },
        ],
        [
          {
            group: ['**/activities', '**/activities/**'],
            allowTypeImports: true,
            message: 'Import activity types only (import type).',
          },
          {
            // A vendor's code tables (integrations/<vendor>/codes.ts) import nothing and do no I/O.
            regex: '(^|/)integrations(/(?![a-z-]+/codes$).*)?$',
            allowTypeImports: true,
            message: "Workflows do no I/O: import vendor types only, or a vendor's codes.ts.",
          },
          {
            group: [
              '**/api/**',
              '**/sandbox/**',
              '**/config/**',
              '**/intake/**',
              '**/temporal/**',
              '**/worker',
            ],
            message: 'Not in workflows.',
          },
          {
            // Another capability's folder: only its contract (DESIGN.md section 2a), or the contracts' registry.
            regex: '^\\.\\./(?!shared/|[a-z-]+/contract$|contracts$|\\.\\./)',
            message:
              "Import another capability's contract.ts only, the contracts' registry, or workflows/shared.",
          },
          {
            // The same by a longer way round: src/workflows named from outside, or a `..` after a folder.
            regex: '(^|/)workflows/(?!shared/)[a-z-]+/(?!contract$)[^/]+$|[^./]/\\.\\./',
            message: "Import another capability's contract.ts only, by its direct path.",
          },
        ],
      ),
    },
  },
  {
    files: ['src/policy/**/*.ts'],
    rules: restrict(
      ['axios', 'express', ...nodeBuiltins],
      [
        { group: ['@temporalio/*'], message: 'Policy is pure data and functions.' },
        {
          group: ['**/workflows/**', '**/activities/**', '**/intake/**', '**/temporal/**'],
          message: 'Policy is pure data and functions.',
        },
        {
          regex: '(^|/)integrations(/(?![a-z-]+/codes$).*)?$',
          message: "Policy is pure data and functions: of the vendors', only a codes.ts.",
        },
        noEntryPoints,
      ],
    ),
  },
  {
    files: ['src/integrations/**/*.ts'],
    rules: restrict(
      ['express'],
      [
        { group: ['@temporalio/*'], message: 'Clients know nothing of Temporal.' },
        {
          group: ['**/workflows/**', '**/activities/**', '**/intake/**', '**/policy/**'],
          message: 'Clients know nothing of the product.',
        },
        noEntryPoints,
      ],
    ),
  },
  {
    // The vendors' code tables run inside workflows and policy: they import nothing at all.
    files: ['src/integrations/*/codes.ts'],
    rules: restrict(
      [],
      [{ regex: '.*', message: 'A codes.ts imports nothing: workflows and policy run it.' }],
    ),
  },
  {
    files: ['src/activities/**/*.ts'],
    rules: restrict(
      ['express', '@temporalio/worker', '@temporalio/workflow'],
      [contractsOnly, noEntryPoints],
    ),
  },
  {
    files: ['src/intake/**/*.ts', 'src/temporal/**/*.ts', 'src/setup/**/*.ts'],
    rules: restrict(
      ['express'],
      [contractsOnly, noEntryPoints, { group: ['**/activities/**'], message: 'Not from this layer.' }],
    ),
  },
  {
    files: ['src/config/**/*.ts'],
    rules: restrict(
      ['axios', 'express'],
      [
        { group: ['@temporalio/*'], message: 'Config is read and validated here, nothing else.' },
        {
          group: ['**/workflows/**', '**/activities/**', '**/intake/**', '**/integrations/**'],
          message: 'Config is zod only.',
        },
        noEntryPoints,
      ],
    ),
  },
  {
    files: ['src/sandbox/**/*.ts'],
    rules: restrict(
      [],
      [
        { group: ['@temporalio/*'], message: 'The sandboxes are vendor stand-ins: no Temporal.' },
        {
          group: [
            '**/workflows/**',
            '**/activities/**',
            '**/intake/**',
            '**/worker',
            '**/api/**',
            '**/cli/**',
          ],
          message: 'The sandboxes know nothing of the product.',
        },
      ],
    ),
  },
  {
    files: ['src/api/**/*.ts'],
    rules: restrict(
      [],
      [
        contractsOnly,
        {
          group: ['**/activities/**', '**/worker', '**/main', '**/cli/**'],
          message: 'The API signals workflows; it runs no activities.',
        },
      ],
    ),
  },
  {
    files: ['src/cli/**/*.ts', 'src/main.ts', 'src/worker.ts', 'bench/**/*.ts'],
    rules: restrict([], [contractsOnly]),
  },
  {
    // Tests drive workflows through their contracts; unit tests (pure helpers) and the test bundle's
    // fixtures may import workflow internals.
    files: ['test/**/*.ts'],
    ignores: ['test/unit/**', 'test/fixtures/**', 'test/helpers/test-workflows.ts'],
    rules: restrict([], [contractsOnly]),
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.mjs', 'stryker.config.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: null },
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-console': 'off' },
  },
  {
    files: ['scripts/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
