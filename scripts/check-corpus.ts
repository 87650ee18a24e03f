// Dev script: validate every Play YAML under the given files/folders with loadPlay.
//   npm run corpus -- /work/shared/trade-plays examples/plays
// Prints each error as `file:line:col: message [CODE]`, then `N/M valid`; exits 1 when any play fails.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadPlay } from '../src/dsl/index.ts';

const PLAY_EXT = /\.ya?ml$/i;

async function collect(target: string, out: string[]): Promise<void> {
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new Error(`${target}: no such file or folder`);
  if (info.isFile()) {
    out.push(target);
    return;
  }
  const entries = await readdir(target, { withFileTypes: true });
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(target, e.name);
    if (e.isDirectory()) await collect(full, out);
    else if (e.isFile() && PLAY_EXT.test(e.name)) out.push(full);
  }
}

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
