// The workflow bundle for tests: every product workflow plus the fixtures that prove the harness itself.
export * from '../../src/workflows';
export * from '../fixtures/harness-workflows';
export * from '../fixtures/admin-fixture-workflows';
export * from '../fixtures/replay-fixtures';
