// Proves the lint rules behind DESIGN.md sections 2 and 2a catch what they claim: a probe file that breaks
// a boundary is linted with the project's own eslint.config.mjs and must be reported, and one that keeps it
// must not. Probes are written under src/ (the resolver and the type-aware parser read real files) in a
// folder of their own, removed afterwards.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';

const root = resolve(__dirname, '..', '..');
const tag = `zz-lint-probe-${randomUUID().slice(0, 8)}`;
const created: string[] = [];

function probe(relativePath: string, text: string): string {
  const full = join(root, relativePath);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, text);
  return full;
}

async function boundaryErrors(files: string[]): Promise<string[]> {
  const eslint = new ESLint({
    cwd: root,
    ruleFilter: ({ ruleId }) =>
      ruleId === 'no-restricted-imports' ||
      ruleId === 'no-restricted-syntax' ||
      ruleId === 'import-x/no-cycle',
  });
  const results = await eslint.lintFiles(files);
  return results.flatMap((r) => r.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`));
}

describe('lint boundaries (DESIGN.md sections 2 and 2a)', { timeout: 120_000 }, () => {
  before(() => {
    created.push(
      join(root, 'src', 'workflows', tag),
      join(root, 'src', 'api', tag),
      join(root, 'src', 'integrations', tag),
      join(root, 'src', tag),
    );
  });
  after(() => {
    for (const dir of created) rmSync(dir, { recursive: true, force: true });
  });

  it('given API code importing a workflow module, then only a contract is allowed', async () => {
    const bad = probe(
      `src/api/${tag}/bad.ts`,
      "import { catalogAccessRequest } from '../../workflows/catalog-access/workflow';\nexport const x = catalogAccessRequest;\n",
    );
    const good = probe(
      `src/api/${tag}/good.ts`,
      "import { catalogAccessWorkflowId } from '../../workflows/catalog-access/contract';\nexport const y = catalogAccessWorkflowId(1);\n",
    );
    const errors = await boundaryErrors([bad]);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /no-restricted-imports: .*capability contract/);
    assert.deepEqual(await boundaryErrors([good]), []);
  });

  it("given a workflow importing another capability's internals, then only its contract is allowed", async () => {
    const bad = probe(
      `src/workflows/${tag}/bad.ts`,
      "import { PENDING_NOTE } from '../okta-access-request/notes';\nexport const x = PENDING_NOTE;\n",
    );
    const good = probe(
      `src/workflows/${tag}/good.ts`,
      "import { oktaRequestWorkflowId } from '../okta-access-request/contract';\nimport { SeenEvents } from '../shared/inbox';\nexport const y = [oktaRequestWorkflowId('r'), new SeenEvents()];\n",
    );
    const errors = await boundaryErrors([bad]);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /no-restricted-imports: .*contract\.ts only/);
    assert.deepEqual(await boundaryErrors([good]), []);
  });

  it('given a workflow reaching another capability the long way round, by import(), or comparing a vendor status code, then each is reported', async () => {
    const cases: [string, RegExp][] = [
      [
        "import { PENDING_NOTE } from '../../workflows/okta-access-request/notes';\nexport const x = PENDING_NOTE;\n",
        /no-restricted-imports: .*direct path/,
      ],
      [
        "import { PENDING_NOTE } from '../shared/../okta-access-request/notes';\nexport const x = PENDING_NOTE;\n",
        /no-restricted-imports: .*direct path/,
      ],
      [
        "export const load = async (): Promise<unknown> => import('../okta-access-request/contract');\n",
        /no-restricted-syntax: .*dynamic import/,
      ],
      [
        'export const settled = (t: { status: number }): boolean => t.status === 4;\n',
        /no-restricted-syntax: .*vendor status code/,
      ],
      [
        "export const settled = (t: { statusName: string }): boolean => 'Resolved' === t.statusName;\n",
        /no-restricted-syntax: .*vendor status code/,
      ],
    ];
    for (const [i, [text, reported]] of cases.entries()) {
      const errors = await boundaryErrors([probe(`src/workflows/${tag}/case${i}.ts`, text)]);
      assert.equal(errors.length, 1, `case ${i}: ${errors.join('\n')}`);
      assert.match(errors[0]!, reported, `case ${i}`);
    }
    const words = probe(
      `src/workflows/${tag}/words.ts`,
      "export const open = (l: { status: string }): boolean => l.status === 'requested';\n",
    );
    assert.deepEqual(await boundaryErrors([words]), [], 'the product’s own status words are fine');
  });

  it("given a workflow importing a vendor module, then only a vendor's codes.ts runs there, and codes.ts imports nothing", async () => {
    const client = probe(
      `src/workflows/${tag}/client.ts`,
      "import { createOktaClient } from '../../integrations/okta';\nexport const x = createOktaClient;\n",
    );
    const codes = probe(
      `src/workflows/${tag}/codes.ts`,
      "import { requestStanding } from '../../integrations/okta/codes';\nimport type { TFsTicket } from '../../integrations/freshservice';\nexport const y = (t: TFsTicket) => [requestStanding('OPEN'), t.id];\n",
    );
    const importing = probe(
      `src/integrations/${tag}/codes.ts`,
      "import { z } from 'zod';\nexport const s = z.string();\n",
    );
    const clientErrors = await boundaryErrors([client]);
    assert.equal(clientErrors.length, 1, clientErrors.join('\n'));
    assert.match(clientErrors[0]!, /no-restricted-imports: .*vendor types only/);
    assert.deepEqual(await boundaryErrors([codes]), []);
    const codesErrors = await boundaryErrors([importing]);
    assert.equal(codesErrors.length, 1, codesErrors.join('\n'));
    assert.match(codesErrors[0]!, /no-restricted-imports: .*imports nothing/);
  });

  it('given two modules importing each other, then import-x/no-cycle reports the cycle', async () => {
    const a = probe(`src/${tag}/a.ts`, `import { b } from './b';\nexport const a = (): number => b + 1;\n`);
    const b = probe(
      `src/${tag}/b.ts`,
      `import { a } from './a';\nexport const b = 1;\nexport const c = (): number => a();\n`,
    );
    const errors = await boundaryErrors([a, b]);
    assert.ok(
      errors.some((e) => e.startsWith('import-x/no-cycle')),
      `a cycle is reported: ${errors.join('\n')}`,
    );
  });
});
