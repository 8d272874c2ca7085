// Lint rules for access-bridge: type-aware typescript-eslint, plus the import boundaries of DESIGN.md
// section 2 (workflows stay deterministic; policy stays pure; integrations know nothing of Temporal).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

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
    rules: restrict(
      [
        ...nodeBuiltins.map((name) => ({ name, message: 'Workflows are deterministic: no Node built-ins.' })),
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
          group: ['**/integrations/**'],
          allowTypeImports: true,
          message: 'Workflows do no I/O: import vendor types only.',
        },
        { group: ['**/api/**', '**/sandbox/**', '**/config/**'], message: 'Not in workflows.' },
      ],
    ),
  },
  {
    files: ['src/policy/**/*.ts'],
    rules: restrict(
      ['axios', 'express', ...nodeBuiltins],
      [{ group: ['@temporalio/*'], message: 'Policy is pure data and functions.' }],
    ),
  },
  {
    files: ['src/integrations/**/*.ts'],
    rules: restrict(
      ['express'],
      [{ group: ['@temporalio/*'], message: 'Clients know nothing of Temporal.' }],
    ),
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
