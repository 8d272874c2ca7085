// `npm run bench`: measures the product against its references in one run and prints the Markdown table
// (also written to bench/results/<timestamp>.md beside the JSON). Exits 1 when any correctness check fails.
import { FLAGS, parseBenchArgs } from './options';
import { renderMarkdown } from './report';
import { runBench } from './run';

async function main(): Promise<number> {
  const options = parseBenchArgs(process.argv.slice(2));
  if (options === 'help') {
    console.log('npm run bench -- [flags]');
    for (const [flag, what] of Object.entries(FLAGS)) console.log(`  --${flag.padEnd(24)} ${what}`);
    return 0;
  }
  const { report, files } = await runBench(options, (line) => console.log(`[bench] ${line}`));
  console.log('');
  console.log(renderMarkdown(report));
  console.log(`[bench] wrote ${files.json} and ${files.markdown}`);
  return report.correct ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
