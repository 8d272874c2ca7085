// Writes the prebuilt workflow bundle that production workers load (dist/workflow-bundle.js), so a
// worker starts in seconds without webpack and runs exactly the code that was built and reviewed.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

export async function bundleTo(workflowsPath: string, outFile: string): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  mkdirSync(resolve(outFile, '..'), { recursive: true });
  writeFileSync(outFile, code);
}

if (require.main === module) {
  const root = resolve(__dirname, '..');
  const out = join(root, 'dist', 'workflow-bundle.js');
  bundleTo(join(root, 'src', 'workflows', 'index.ts'), out).then(
    () => console.log(`workflow bundle written to ${out}`),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
