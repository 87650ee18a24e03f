// `playforge library ls|show|export|retire|add`: the vetted play library — list and query by tags, show a
// play with its evidence, export the YAML tree, retire, and promote a validated, demo-passed play.
// A thin shell over src/library.
import type { Command } from 'commander';
import { PlayforgeError } from '../../common/errors.ts';
import { exportLibrary, promoteToLibrary, renderVettedYaml, VettedLibrary, type VettedPlay } from '../../library/index.ts';
import { openWarmStore, type WarmStore } from '../../store/index.ts';
import { toJsonSafe } from '../../validate/index.ts';
import { dataDirOf, out } from '../io.ts';

async function withLibrary<T>(cmd: Command, fn: (warm: WarmStore, lib: VettedLibrary) => Promise<T>): Promise<T> {
  const warm = await openWarmStore({ dataDir: dataDirOf(cmd) });
  try {
    return await fn(warm, new VettedLibrary(warm.sql));
  } finally {
    await warm.close();
  }
}

function versionOption(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new PlayforgeError('CLI_BAD_OPTION', `--version must be an integer >= 1, got "${v}"`, { path: '--version' });
  return n;
}

const collect = (v: string, acc: string[]) => [...acc, v];

function summary(v: VettedPlay): Record<string, unknown> {
  const s = v.stats;
  return {
    name: v.name, version: v.version, regime: v.regime, tags: v.tags, retired: v.retired, createdAt: v.createdAt,
    holdoutSharpe: s.holdout?.sharpe ?? null, holdoutReturnPct: s.holdout?.totalReturnPct ?? null, dsr: s.dsr?.dsr ?? null, pbo: s.pbo?.pbo ?? null,
  };
}

function line(v: VettedPlay): string {
  const s = v.stats;
  const num = (x: number | undefined, d = 2) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));
  return `${`${v.name} v${v.version}`.padEnd(34)}${v.regime.padEnd(17)}${(v.tags.find((t) => t.startsWith('asset:')) ?? '').slice(6).padEnd(10)}`
    + `${(v.tags.find((t) => t.startsWith('timeframe:')) ?? '').slice(10).padEnd(10)}${(v.tags.find((t) => t.startsWith('risk:')) ?? '').slice(5).padEnd(14)}`
    + `holdout Sharpe ${num(s.holdout?.sharpe).padStart(6)}  DSR ${num(s.dsr?.dsr, 3)}  PBO ${num(s.pbo?.pbo, 3)}${v.retired ? '  (retired)' : ''}`;
}

interface LsOptions { tag: string[]; regime?: string; asset?: string; timeframe?: string; risk?: string; allVersions?: boolean; retired?: boolean; json?: boolean }

export function registerLibraryCommands(program: Command): void {
  const library = program.command('library').description('the vetted play library: ls, show, export, retire, add');

  library
    .command('ls')
    .description('list vetted plays (newest active version of each name), filtered by tags')
    .option('--tag <key:value>', 'only plays with this tag (repeatable), e.g. regime:trending', collect, [])
    .option('--regime <r>', 'trending, ranging or regime_adaptive')
    .option('--asset <SYMBOL>', 'e.g. BTCUSDT')
    .option('--timeframe <class>', 'scalp, intraday or swing')
    .option('--risk <profile>', 'aggressive or conservative')
    .option('--all-versions', 'every version, not only the newest')
    .option('--retired', 'include retired plays')
    .option('--json', 'print one JSON document')
    .action(async (opts: LsOptions, cmd: Command) => {
      const tags = [...opts.tag];
      if (opts.regime) tags.push(`regime:${opts.regime}`);
      if (opts.asset) tags.push(`asset:${opts.asset}`);
      if (opts.timeframe) tags.push(`timeframe:${opts.timeframe}`);
      if (opts.risk) tags.push(`risk:${opts.risk}`);
      const plays = await withLibrary(cmd, (_w, lib) => lib.list({ tags, allVersions: opts.allVersions, includeRetired: opts.retired }));
      if (opts.json) {
        out(JSON.stringify({ tags, plays: plays.map((p) => toJsonSafe(summary(p))) }));
        return;
      }
      if (!plays.length) {
        out(tags.length ? `no vetted plays with ${tags.join(' ')}` : 'the library is empty: plays enter it with playforge library add after validation and the demo gate');
        return;
      }
      for (const p of plays) out(line(p));
    });

  library
    .command('show')
    .description('a vetted play with its tags and evidence, as its exported YAML')
    .argument('<name>', 'library name')
    .option('--version <n>', 'a version (default: the newest)')
    .option('--json', 'print one JSON document')
    .action(async (name: string, opts: { version?: string; json?: boolean }, cmd: Command) => {
      const v = await withLibrary(cmd, (_w, lib) => lib.get(name, versionOption(opts.version)));
      if (opts.json) out(JSON.stringify(toJsonSafe(v)));
      else {
        if (v.retired) out(`# RETIRED ${v.retiredAt?.toISOString() ?? ''}: ${v.retiredReason ?? ''}`);
        out(renderVettedYaml(v));
      }
    });

  library
    .command('export')
    .description('write the library as a YAML tree <out>/<regime>/<name>_v<version>.yml (retired plays are removed from it)')
    .option('--out <dir>', 'where the tree goes', 'vetted_plays')
    .option('--all-versions', 'every active version, not only the newest')
    .option('--json', 'print one JSON document')
    .action(async (opts: { out: string; allVersions?: boolean; json?: boolean }, cmd: Command) => {
      const result = await withLibrary(cmd, async (_w, lib) => exportLibrary(await lib.list({ allVersions: opts.allVersions }), opts.out));
      if (opts.json) out(JSON.stringify(result));
      else {
        out(`exported ${result.written.length} vetted plays to ${result.dir}`);
        for (const f of result.written) out(`  ${f}`);
        for (const f of result.removed) out(`  removed ${f}`);
      }
    });

  library
    .command('retire')
    .description('retire a vetted play (every active version, or one): it leaves listings and exports, its record stays')
    .argument('<name>', 'library name')
    .requiredOption('--reason <text>', 'why (goes to the audit log)')
    .option('--version <n>', 'only this version')
    .option('--json', 'print one JSON document')
    .action(async (name: string, opts: { reason: string; version?: string; json?: boolean }, cmd: Command) => {
      const retired = await withLibrary(cmd, (_w, lib) => lib.retire(name, opts.reason, { version: versionOption(opts.version) }));
      if (opts.json) out(JSON.stringify({ name, retired: retired.map((v) => v.version) }));
      else out(retired.length ? `retired ${name} v${retired.map((v) => v.version).join(', v')}` : `${name} has no active version to retire`);
    });

  library
    .command('add')
    .description('promote a play into the library: needs a passed validation report and a passed demo run of the same play')
    .argument('<report-id>', 'the validation report (printed by playforge validate)')
    .requiredOption('--demo-run <id>', 'the demo run that passed the demo gate')
    .option('--name <name>', 'library name (default <base asset>_<play name>)')
    .option('--json', 'print one JSON document')
    .action(async (reportId: string, opts: { demoRun: string; name?: string; json?: boolean }, cmd: Command) => {
      const v = await withLibrary(cmd, (warm) => promoteToLibrary(warm.sql, { validationReportId: reportId, demoRunId: opts.demoRun, name: opts.name }));
      if (opts.json) out(JSON.stringify(toJsonSafe(summary(v))));
      else out(`added ${v.name} v${v.version} (${v.tags.join(' ')})`);
    });
}
