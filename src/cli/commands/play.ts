// `playforge play ...`: validate, inspect and resolve Play files. A thin shell over src/dsl.
import type { Command } from 'commander';
import type { PlayforgeError } from '../../common/errors.ts';
import {
  genomeOf, loadPlayFile, parseParamAssignments, playJsonSchema, playToRaw, resolvePlay, serializePlay, spaceSize, type Gene, type Play,
} from '../../dsl/index.ts';

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
const err = (s: string) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);

/** `file:line:col: message [CODE]`, the form editors and CI logs understand. */
function errorLine(e: PlayforgeError): string {
  const { file, line, column } = e.location;
  const where = [file, line, line !== undefined ? column : undefined].filter((x) => x !== undefined).join(':');
  return `${where ? `${where}: ` : ''}${e.message} [${e.code}]`;
}

function errorJson(e: PlayforgeError) {
  return { code: e.code, message: e.message, ...e.location };
}

/** Loads a play or reports its errors and sets exit code 1 (returns undefined). */
async function loadOrReport(file: string, json: boolean): Promise<Play | undefined> {
  const { play, errors } = await loadPlayFile(file);
  if (play) return play;
  if (json) out(JSON.stringify({ file, valid: false, errors: errors.map(errorJson) }));
  else for (const e of errors) out(errorLine(e));
  process.exitCode = 1;
  return undefined;
}

function describeGene(g: Gene): string {
  if (g.kind === 'choice') return `choice [${g.choices!.map((c) => JSON.stringify(c)).join(', ')}]`;
  const range = `${g.kind === 'int_range' ? 'int' : 'float'} ${g.min}..${g.max}`;
  return g.step === undefined ? `${range} (continuous)` : `${range} step ${g.step}`;
}

export function registerPlayCommands(program: Command): void {
  const play = program.command('play').description('validate, inspect and resolve Play YAML files');

  play
    .command('validate')
    .description('validate plays; prints file:line:col: message for every error, exit 1 when any play is invalid')
    .argument('<files...>', 'play YAML files')
    .option('--json', 'print one JSON document')
    .action(async (files: string[], opts: { json?: boolean }) => {
      const results = [];
      for (const file of files) {
        const { errors } = await loadPlayFile(file);
        results.push({ file, valid: errors.length === 0, errors });
      }
      const valid = results.filter((r) => r.valid).length;
      if (opts.json) {
        out(JSON.stringify({ valid: valid === results.length, files: results.map((r) => ({ ...r, errors: r.errors.map(errorJson) })) }));
      } else {
        for (const r of results) for (const e of r.errors) out(errorLine(e));
        err(`${valid}/${results.length} plays valid`);
      }
      process.exitCode = valid === results.length ? 0 : 1;
    });

  play
    .command('space')
    .description('list the ranged parameters (genes) of a play and the size of its parameter space')
    .argument('<file>', 'play YAML file')
    .option('--json', 'print one JSON document')
    .action(async (file: string, opts: { json?: boolean }) => {
      const p = await loadOrReport(file, !!opts.json);
      if (!p) return;
      const genes = genomeOf(p);
      const size = spaceSize(p);
      if (opts.json) {
        out(JSON.stringify({
          file, name: p.name, genes: genes.map((g) => ({ ...g, size: Number.isFinite(g.size) ? g.size : null })),
          count: genes.length, size: Number.isFinite(size) ? size : null, continuous: !Number.isFinite(size),
        }));
      } else {
        const width = Math.max(0, ...genes.map((g) => g.path.length));
        out(`${p.name}: ${genes.length} ranged parameter${genes.length === 1 ? '' : 's'}, ${Number.isFinite(size) ? `${size} combinations` : 'continuous (infinite) space'}`);
        for (const g of genes) out(`  ${g.path.padEnd(width)}  ${describeGene(g)}${Number.isFinite(g.size) ? `  (${g.size})` : ''}`);
      }
      process.exitCode = 0;
    });

  play
    .command('resolve')
    .description('print the concrete play for chosen parameter values (unset genes take their defaults)')
    .argument('<file>', 'play YAML file')
    .option('--params <assignments>', 'gene=value,... (a full gene path or an unambiguous suffix)', '')
    .option('--json', 'print one JSON document')
    .action(async (file: string, opts: { params: string; json?: boolean }) => {
      const p = await loadOrReport(file, !!opts.json);
      if (!p) return;
      const genome = parseParamAssignments(opts.params, p);
      const resolved = resolvePlay(p, genome);
      if (opts.json) out(JSON.stringify({ file, genome, play: playToRaw(resolved) }));
      else out(serializePlay(resolved));
      process.exitCode = 0;
    });

  play
    .command('schema')
    .description('print the JSON Schema of a Play (for editors and LLM prompts)')
    .option('--json', 'print compact JSON (one document)')
    .action((opts: { json?: boolean }) => {
      out(opts.json ? JSON.stringify(playJsonSchema()) : JSON.stringify(playJsonSchema(), null, 2));
      process.exitCode = 0;
    });
}
