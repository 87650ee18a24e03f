// `playforge data ...`: import, list, export and fetch candles (thin shell over src/data).
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { resolveDataDir } from '../../common/config.ts';
import { isPlayforgeError } from '../../common/errors.ts';
import {
  BybitClient,
  CandleStore,
  DataRejectedError,
  describeReport,
  ensureDefaultData,
  fetchBybitHistory,
  importFile,
  isoUtc,
  makeDatasetRef,
  parseDateArg,
  parseDatasetId,
  parsePolicy,
  POLICIES,
  type ImportResult,
} from '../../data/index.ts';

interface GlobalOpts {
  dataDir?: string;
}

function dataDirOf(cmd: Command): string {
  return resolveDataDir((cmd.optsWithGlobals() as GlobalOpts).dataDir);
}

function printJson(doc: unknown): void {
  process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
}

const day = (ms: number | undefined): string => (ms === undefined ? '-' : isoUtc(ms).replace(':00.000Z', 'Z'));

async function withOpenStore<T>(cmd: Command, fn: (s: CandleStore) => Promise<T>): Promise<T> {
  const store = await CandleStore.open(dataDirOf(cmd));
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

function errorDoc(file: string, e: unknown): Record<string, unknown> {
  if (e instanceof DataRejectedError) return { file, code: e.code, message: e.message, report: e.report };
  if (isPlayforgeError(e)) return { file, code: e.code, message: e.message, location: e.location };
  return { file, code: 'INTERNAL', message: (e as Error).message };
}

function describeImport(r: ImportResult): string {
  const m = r.merge;
  const s = r.stored;
  const lines = [
    `${r.file} -> ${r.target}: ${r.report.rowsRead} rows read, ${m.inserted} inserted, ${m.updated} updated, ${m.unchanged} unchanged` +
      (r.summary.dropped ? `, ${r.summary.dropped} dropped` : '') +
      (r.summary.filled + m.seamFilled ? `, ${r.summary.filled + m.seamFilled} filled` : '') +
      `; now ${s.rows} rows ${day(s.first)} .. ${day(s.last)}` +
      (s.gaps ? `, ${s.gaps.count} gaps (${s.gaps.missingBars} bars missing)` : ''),
  ];
  if (r.intervalInferred) lines.push(`  interval taken from the bar spacing; pass --interval to be explicit`);
  for (const l of describeReport(r.report, 5)) lines.push(`  ${r.summary.policy === 'reject' ? '' : `${r.summary.policy}: `}${l}`);
  for (const g of m.seamGaps) lines.push(`  DATA_GAP: ${g.missingBars} bars missing between stored ${day(g.after)} and ${day(g.before)}`);
  return lines.join('\n');
}

export function registerDataCommands(program: Command): void {
  const data = program.command('data').description('market data: import, list, export and download candles (DuckDB cold store)');

  data
    .command('import')
    .description('import CSV/Parquet candle or funding files (validated; atomic per file)')
    .argument('<files...>', 'files to import (EXCHANGE_SYMBOL_INTERVAL.csv names need no flags)')
    .option('--exchange <name>', 'exchange, e.g. bybit')
    .option('--symbol <symbol>', 'symbol, e.g. BTCUSDT')
    .option('--interval <interval>', 'bar interval: 1m 3m 5m 15m 30m 1h 2h 4h 6h 12h D (1d) W (1w) M')
    .option('--funding', 'the files are funding-rate history (ts,funding_rate)')
    .addOption(new Option('--policy <policy>', 'on bad rows: reject the file, drop them, or drop and fill gaps').choices([...POLICIES]).default('reject'))
    .option('--json', 'print one JSON document')
    .action(async (files: string[], opts: { exchange?: string; symbol?: string; interval?: string; funding?: boolean; policy: string; json?: boolean }, cmd: Command) => {
      const policy = parsePolicy(opts.policy);
      const results: ImportResult[] = [];
      const errors: Array<Record<string, unknown>> = [];
      await withOpenStore(cmd, async (store) => {
        for (const file of files) {
          try {
            const r = await importFile(store, file, { exchange: opts.exchange, symbol: opts.symbol, interval: opts.interval, kind: opts.funding ? 'funding' : undefined, policy });
            results.push(r);
            if (!opts.json) process.stdout.write(describeImport(r) + '\n');
          } catch (e) {
            if (!isPlayforgeError(e)) throw e;
            errors.push(errorDoc(file, e));
            if (!opts.json) process.stderr.write(`error: ${e.format()}\n`);
          }
        }
      });
      if (opts.json) printJson({ ok: errors.length === 0, results, errors });
      if (errors.length > 0) process.exitCode = 1;
    });

  data
    .command('ls')
    .description('list stored datasets: range, rows, gaps (and funding series)')
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { datasets, funding } = await withOpenStore(cmd, async (s) => ({ datasets: await s.listDatasets(), funding: await s.listFunding() }));
      if (opts.json) {
        printJson({
          dataDir: dataDirOf(cmd),
          datasets: datasets.map((d) => ({ ...d, firstIso: d.first !== undefined ? isoUtc(d.first) : undefined, lastIso: d.last !== undefined ? isoUtc(d.last) : undefined })),
          funding,
        });
        return;
      }
      if (datasets.length === 0 && funding.length === 0) {
        process.stdout.write(`no datasets in ${dataDirOf(cmd)} (playforge data init imports the bundled examples)\n`);
        return;
      }
      const rows = [
        ['dataset', 'first', 'last', 'rows', 'gaps', 'missing'],
        ...datasets.map((d) => [d.id, day(d.first), day(d.last), String(d.rows), String(d.gaps.count), String(d.gaps.missingBars)]),
        ...funding.map((f) => [f.id, day(f.first), day(f.last), String(f.rows), '-', '-']),
      ];
      const widths = rows[0].map((_, k) => Math.max(...rows.map((r) => r[k].length)));
      for (const r of rows) process.stdout.write(r.map((c, k) => (k >= 3 ? c.padStart(widths[k]) : c.padEnd(widths[k]))).join('  ') + '\n');
    });

  data
    .command('export')
    .description('export a dataset (exchange:SYMBOL:interval) or funding (exchange:SYMBOL:funding) to CSV or Parquet')
    .argument('<dataset>', 'e.g. bybit:BTCUSDT:1h or bybit:BTCUSDT:funding')
    .requiredOption('--out <file>', 'output file (.csv or .parquet)')
    .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(['csv', 'parquet']))
    .option('--from <date>', 'first bar open time (ISO-8601 or epoch ms), inclusive')
    .option('--to <date>', 'end (ISO-8601 or epoch ms), exclusive')
    .option('--json', 'print one JSON document')
    .action(async (id: string, opts: { out: string; format?: 'csv' | 'parquet'; from?: string; to?: string; json?: boolean }, cmd: Command) => {
      const format = opts.format ?? (/\.parquet$|\.pq$/i.test(opts.out) ? 'parquet' : 'csv');
      const range = { from: opts.from ? parseDateArg(opts.from, '--from') : undefined, to: opts.to ? parseDateArg(opts.to, '--to') : undefined };
      const parts = id.split(':');
      const isFunding = parts.length === 3 && parts[2].toLowerCase() === 'funding';
      const what = isFunding ? { funding: makeDatasetRef(parts[0], parts[1], '1h') } : { dataset: parseDatasetId(id) };
      const rows = await withOpenStore(cmd, (s) => s.exportTo(what, opts.out, { ...range, format }));
      if (opts.json) printJson({ dataset: id, out: opts.out, format, rows });
      else process.stdout.write(`wrote ${rows} rows of ${id} to ${opts.out} (${format})\n`);
    });

  data
    .command('fetch')
    .description('download Bybit V5 klines (and funding) into the store, resuming after the last stored bar')
    .requiredOption('--symbol <symbol>', 'e.g. BTCUSDT')
    .requiredOption('--interval <interval>', 'bar interval, e.g. 1h')
    .requiredOption('--from <date>', 'first bar (ISO-8601 date or epoch ms)')
    .option('--to <date>', 'end, exclusive (default now; bars still forming are never stored)')
    .addOption(new Option('--category <category>', 'Bybit product type').choices(['linear', 'inverse', 'spot']).default('linear'))
    .option('--base-url <url>', 'Bybit REST base URL (env BYBIT_BASE_URL, default https://api.bybit.com)')
    .option('--no-funding', 'skip the funding-rate history')
    .addOption(new Option('--policy <policy>', 'on bad bars or holes: reject, drop, fill').choices([...POLICIES]).default('reject'))
    .option('--progress', 'draw the progress bar even when stderr is not a terminal')
    .option('--json', 'print one JSON document')
    .action(
      async (
        opts: { symbol: string; interval: string; from: string; to?: string; category: 'linear' | 'inverse' | 'spot'; baseUrl?: string; funding: boolean; policy: string; progress?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const client = new BybitClient({
          baseUrl: opts.baseUrl,
          onRetry: (r) => process.stderr.write(`\nretry ${r.attempt} of ${r.path} in ${r.delayMs} ms: ${r.reason}\n`),
        });
        const showBar = Boolean(process.stderr.isTTY || opts.progress);
        const bar = showBar
          ? new cliProgress.SingleBar(
              { stream: process.stderr, noTTYOutput: !process.stderr.isTTY, format: '{phase} [{bar}] {percentage}% | {value}/{total} | eta {eta}s', hideCursor: true },
              cliProgress.Presets.shades_classic,
            )
          : undefined;
        let phase = '';
        const result = await withOpenStore(cmd, (store) =>
          fetchBybitHistory(store, {
            client,
            symbol: opts.symbol,
            interval: opts.interval,
            from: parseDateArg(opts.from, '--from'),
            to: opts.to ? parseDateArg(opts.to, '--to') : undefined,
            category: opts.category,
            funding: opts.funding,
            policy: parsePolicy(opts.policy),
            onProgress: (p) => {
              if (!bar) return;
              if (p.phase !== phase) {
                if (phase) bar.stop();
                phase = p.phase;
                bar.start(Math.max(1, p.total), p.done, { phase: p.phase.padEnd(7) });
              } else {
                bar.setTotal(Math.max(1, p.total));
                bar.update(p.done);
              }
            },
          }),
        ).finally(() => bar?.stop());
        if (opts.json) {
          printJson(result);
          return;
        }
        const b = result.bars;
        process.stdout.write(
          `${result.dataset}: ${b.received} bars received in ${result.requests} requests, ${b.inserted} inserted, ${b.updated} updated; ` +
            `now ${result.stored.rows} rows ${day(result.stored.first)} .. ${day(result.stored.last)}, ${result.stored.gapCount} gaps\n`,
        );
        if (result.funding) process.stdout.write(`funding: ${result.funding.received} settlements received, ${result.funding.inserted} inserted\n`);
      },
    );

  data
    .command('init')
    .description('import the bundled example data (examples/data) into the store if it is missing')
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const r = await ensureDefaultData(dataDirOf(cmd));
      if (opts.json) printJson({ dataDir: dataDirOf(cmd), ...r });
      else process.stdout.write(`imported ${r.imported.length} files, ${r.present.length} already present, in ${dataDirOf(cmd)}\n`);
    });
}

