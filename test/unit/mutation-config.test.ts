// Holds the README's mutation-testing promise to stryker.config.mjs: `npm run test:mutation` runs Stryker,
// fails below the documented 80% (thresholds.break), and mutates every file of src/policy. Skipped when the
// Stryker config is absent.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(__dirname, '..', '..');
const configPath = join(root, 'stryker.config.mjs');
const skip = existsSync(configPath) ? false : 'stryker.config.mjs is not in the repository';

type StrykerConfig = {
  mutate: string[];
  thresholds: { break: number | null; low: number; high: number };
  tap?: { testFiles: string[] };
};

async function strykerConfig(): Promise<StrykerConfig> {
  const mod = (await import(pathToFileURL(configPath).href)) as { default: StrykerConfig };
  return mod.default;
}

/** Stryker's globs as used here: `**` any directories, `*` within one segment; `file:from-to` a range. */
function globMatches(pattern: string, file: string): boolean {
  const glob = pattern.replace(/:\d+-\d+$/, '');
  const source = glob
    .split(/(\*\*\/|\*)/)
    .map((part) =>
      part === '**/' ? '(?:.*/)?' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`).test(file);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [relative(root, full)];
  });
}

describe('the mutation-testing configuration', { skip }, () => {
  it('given the README, when test:mutation is configured, then it breaks below the documented score', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const documented = readme.match(/npm run test:mutation[\s\S]*?fails below \*\*(\d+)%\*\*/);
    assert.ok(documented, 'the README states the score below which test:mutation fails');
    assert.equal(documented[1], '80');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    assert.match(pkg.scripts['test:mutation'] ?? '', /^stryker run\b/);
    const { thresholds } = await strykerConfig();
    assert.equal(thresholds.break, Number(documented[1]));
    assert.ok(thresholds.low >= thresholds.break, 'the break threshold is not above the low one');
  });

  it('given src/policy, when the mutate globs are applied, then every policy source file is mutated whole', async () => {
    const { mutate } = await strykerConfig();
    const policy = filesUnder(join(root, 'src', 'policy')).filter((f) => f.endsWith('.ts'));
    assert.ok(policy.length >= 3, `found ${policy.length} policy files`);
    for (const file of policy) {
      const whole = mutate.filter((p) => !/:\d+-\d+$/.test(p) && !p.startsWith('!'));
      assert.ok(
        whole.some((p) => globMatches(p, file)),
        `${file} is mutated by one of ${JSON.stringify(mutate)}`,
      );
      assert.ok(
        !mutate.some((p) => p.startsWith('!') && globMatches(p.slice(1), file)),
        `${file} not excluded`,
      );
    }
  });

  it('given the mutate list and the test files, when resolved, then each names code and tests that exist', async () => {
    const config = await strykerConfig();
    const sources = filesUnder(join(root, 'src'));
    for (const pattern of config.mutate) {
      assert.ok(
        sources.some((f) => globMatches(pattern.replace(/^!/, ''), f)),
        `${pattern} matches a file in src`,
      );
    }
    const testFiles = config.tap?.testFiles ?? [];
    assert.ok(testFiles.length > 0, 'the tap runner lists the unit tests to run');
    for (const t of testFiles) {
      assert.ok(existsSync(join(root, t.replace(/\.js$/, '.ts'))), `${t} is built from an existing test`);
    }
  });
});
