// `npm run bench [-- --json FILE] [-- --only NAME]`: runs every suite in bench/suites and prints ratios.
import { readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatFigure, type BenchSuite, type Figure } from './harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;

const dir = path.join(here, 'suites');
const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts')).sort();
const all: Array<Figure & { suite: string }> = [];
console.log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
for (const file of files) {
  const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { suite: BenchSuite };
  if (only && !mod.suite.name.includes(only)) continue;
  console.log(`\n== ${mod.suite.name}`);
  for (const f of await mod.suite.run()) {
    console.log(formatFigure(f));
    all.push({ suite: mod.suite.name, ...f });
  }
}
if (jsonFile) {
  await writeFile(jsonFile, JSON.stringify({ machine: { cpus: os.cpus().length, node: process.version }, figures: all }, null, 2));
  console.log(`\nwrote ${all.length} figures to ${jsonFile}`);
}
