// `playforge start` (what `npm start` runs): the main job on the bundled plays and data, growing with the stages.
// Stage 1 (DSL): validate and describe every example play. Later stages add their own sections after it:
// translation, evolution, validation with the library's answer.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { genomeOf, loadPlay, spaceSize, type Play } from '../../dsl/index.ts';
import { dataDirOf } from '../io.ts';
import { formatStartEvolution, runSeedEvolution } from './start-evolve.ts';
import { formatStartValidation, validateStartEvolutions } from './start-validate.ts';
import { formatStartTranslation, translateSeedSource } from './start-translate.ts';

/** examples/plays of this package, wherever the command is run from. */
export const DEFAULT_PLAYS_DIR = fileURLToPath(new URL('../../../examples/plays', import.meta.url));

export interface PlayDescription {
  file: string;
  name: string;
  /** The play's description (its one-line idea); empty when it has none. */
  idea: string;
  features: number;
  structures: number;
  genes: number;
  space_size: number;
  valid: boolean;
  /** `file:line:col: message [CODE]` for an invalid play. */
  errors: string[];
}

export interface PlaysSection {
  dir: string;
  plays: PlayDescription[];
  summary: { plays: number; valid: number; invalid: number; genes: number; max_space_size: number };
}

export async function describePlays(dir: string): Promise<PlaysSection> {
  const files = (await readdir(dir)).filter((f) => /\.ya?ml$/i.test(f)).sort();
  const plays: PlayDescription[] = [];
  for (const file of files) {
    const shown = path.join(path.relative(process.cwd(), dir) || '.', file);
    const { play, errors } = loadPlay(await readFile(path.join(dir, file), 'utf8'), shown);
    if (!play) {
      plays.push({
        file: shown, name: file.replace(/\.ya?ml$/i, ''), idea: '', features: 0, structures: 0, genes: 0, space_size: 0,
        valid: false, errors: errors.map((e) => e.format()),
      });
      continue;
    }
    plays.push({
      file: shown,
      name: play.name,
      idea: play.description ?? '',
      features: play.features.length,
      structures: play.structures.length,
      genes: genomeOf(play).length,
      space_size: spaceSize(play),
      valid: true,
      errors: [],
    });
  }
  const valid = plays.filter((p) => p.valid);
  return {
    dir: path.relative(process.cwd(), dir) || '.',
    plays,
    summary: {
      plays: plays.length,
      valid: valid.length,
      invalid: plays.length - valid.length,
      genes: valid.reduce((n, p) => n + p.genes, 0),
      max_space_size: valid.reduce((m, p) => Math.max(m, p.space_size), 0),
    },
  };
}

function clip(text: string, width: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= width ? one : `${one.slice(0, width - 1)}…`;
}

/** A plain-text table: a header, one row per play, then the summary line. */
export function formatPlaysTable(section: PlaysSection): string {
  const header = ['play', 'idea', 'features', 'structures', 'genes', 'space', 'valid'];
  const rows = section.plays.map((p) => [
    p.name,
    p.valid ? clip(p.idea, 56) : clip(p.errors[0] ?? 'invalid', 56),
    p.valid ? String(p.features) : '-',
    p.valid ? String(p.structures) : '-',
    p.valid ? String(p.genes) : '-',
    p.valid ? p.space_size.toLocaleString('en-US') : '-',
    p.valid ? '✓' : '✗',
  ]);
  const numeric = new Set([2, 3, 4, 5]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const s = section.summary;
  const out = [
    `Plays in ${section.dir}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `${s.plays} plays: ${s.valid} valid, ${s.invalid} invalid; ${s.genes} genes in all; largest space ${s.max_space_size.toLocaleString('en-US')} combinations`,
  ];
  for (const p of section.plays) for (const e of p.errors) out.push(`  ${e}`);
  return `${out.join('\n')}\n`;
}

/**
 * The best-matching candidate whose backtests are cheap: an hmm_regime refits its model every few hundred
 * bars, which would turn the quick first run into minutes (`playforge evolve` takes any candidate).
 */
function quickCandidate(candidates: readonly Play[]): Play[] {
  const cheap = candidates.find((p) => !p.structures.some((s) => s.type === 'hmm_regime'));
  return cheap ? [cheap] : [];
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run the pipeline stages that exist on the bundled plays and data, with a summary')
    .option('--plays <dir>', 'folder of play YAML files', DEFAULT_PLAYS_DIR)
    .option('--no-evolve', 'skip translating the seed note and evolving (plays only)')
    .option('--json', 'print one JSON document')
    .action(async (opts: { plays: string; evolve: boolean; json?: boolean }, cmd: Command) => {
      const plays = await describePlays(path.resolve(opts.plays));
      if (!opts.json) process.stdout.write(formatPlaysTable(plays));
      const dataDir = dataDirOf(cmd);
      // Stage 2 (knowledge -> agent): the seed's Simons Markov note translated offline into candidate plays.
      const translation = opts.evolve ? await translateSeedSource(dataDir) : undefined;
      if (translation && !opts.json) process.stdout.write(formatStartTranslation(translation));
      // Stage 3 (evolution): the seed example and the best translated candidate on bundled BTCUSDT 1h bars.
      const evolved = opts.evolve
        ? await runSeedEvolution(dataDir, { progress: !opts.json, extraPlays: quickCandidate(translation?.plays ?? []) })
        : undefined;
      const evolution = evolved?.summaries;
      if (evolution && !opts.json) process.stdout.write(formatStartEvolution(evolution));
      // Stage 4 (validation -> library): each evolution's pick judged by the promotion gate.
      const validation = evolved ? await validateStartEvolutions(dataDir, evolved.run, evolved.plays, { progress: !opts.json }) : undefined;
      if (opts.json) {
        const { plays: _candidatePlays, ...translated } = translation ?? { plays: [] };
        const sections = { ...(translation ? { translation: translated } : {}), ...(evolution ? { evolution } : {}), ...(validation ? { validation } : {}) };
        process.stdout.write(`${JSON.stringify({ plays, ...sections }, null, 2)}\n`);
      } else if (validation) process.stdout.write(formatStartValidation(validation));
      if (plays.summary.invalid > 0 || plays.summary.plays === 0) process.exitCode = 1;
    });
}
