// Dev script: validate every Play YAML under the given files/folders with loadPlay.
//   npm run corpus -- /work/shared/trade-plays examples/plays
// Prints each error as `file:line:col: message [CODE]`, then `N/M valid`; exits 1 when any play fails.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadPlay } from '../src/dsl/index.ts';
import { collect } from './play-files.ts';

interface CorpusResult {
  files: number;
  valid: number;
  /** One line per error, `file:line:col: message [CODE]`. */
  lines: string[];
}

async function checkCorpus(targets: string[]): Promise<CorpusResult> {
  const files: string[] = [];
  for (const t of targets) await collect(t, files);
  const lines: string[] = [];
  let valid = 0;
  for (const file of files) {
    const shown = path.relative(process.cwd(), file) || file;
    const { errors } = loadPlay(await readFile(file, 'utf8'), shown);
    if (errors.length === 0) {
      valid++;
      continue;
    }
    for (const e of errors) {
      const { line, column } = e.location;
      const where = line !== undefined ? `${shown}:${line}:${column ?? 1}` : shown;
      lines.push(`${where}: ${e.message} [${e.code}]`);
    }
  }
  return { files: files.length, valid, lines };
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0) {
    process.stderr.write('usage: npm run corpus -- <play file or folder>...\n');
    return 2;
  }
  let result: CorpusResult;
  try {
    result = await checkCorpus(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const { files, valid, lines } = result;
  for (const l of lines) process.stdout.write(`${l}\n`);
  process.stdout.write(`${valid}/${files} valid\n`);
  return files > 0 && valid === files ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
