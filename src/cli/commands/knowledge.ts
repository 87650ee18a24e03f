// `playforge knowledge ...`: add sources, list them, search them, re-embed (thin shell over src/knowledge).
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { resolveDataDir } from '../../common/config.ts';
import {
  createEmbedder,
  openKnowledgeStore,
  resolveEmbedderConfig,
  type EmbedderFlags,
  type IngestProgress,
  type IngestReport,
  type KnowledgeStore,
  type SearchMode,
} from '../../knowledge/index.ts';

interface GlobalOpts {
  dataDir?: string;
}

interface EmbeddingOpts extends EmbedderFlags {
  json?: boolean;
}

/** Directories with at least this many files get a progress display on stderr. */
const PROGRESS_MIN_FILES = 20;

function printJson(doc: unknown): void {
  process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
}

function withEmbeddingOptions(cmd: Command): Command {
  return cmd
    .option('--embeddings-url <url>', 'OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 (env PLAYFORGE_EMBEDDINGS_URL; key from PLAYFORGE_EMBEDDINGS_API_KEY); default: the offline hashed n-gram embedder')
    .option('--embeddings-model <name>', 'model of the endpoint (env PLAYFORGE_EMBEDDINGS_MODEL)')
    .option('--embeddings-dimensions <n>', 'vector length: requested from the endpoint, or of the hashed embedder (env PLAYFORGE_EMBEDDINGS_DIMENSIONS)')
    .option('--json', 'print one JSON document');
}

async function withStore<T>(cmd: Command, opts: EmbeddingOpts, fn: (store: KnowledgeStore) => Promise<T>): Promise<T> {
  const config = resolveEmbedderConfig(opts);
  config.endpoint = {
    onRetry: ({ attempt, reason, delayMs }) => process.stderr.write(`embeddings: ${reason}; retry ${attempt} in ${(delayMs / 1000).toFixed(1)} s\n`),
  };
  const dataDir = resolveDataDir((cmd.optsWithGlobals() as GlobalOpts).dataDir);
  const store = await openKnowledgeStore({ dataDir, embedder: createEmbedder(config) });
  try {
    if (store.vectorMode === 'array' && !opts.json) {
      process.stderr.write('note: this PostgreSQL server has no pgvector; vector search runs as an exact cosine in SQL\n');
    }
    return await fn(store);
  } finally {
    await store.close();
  }
}

function progressReporter(): { onProgress: (p: IngestProgress) => void; stop: () => void } {
  let bar: cliProgress.SingleBar | undefined;
  let lastTenth = -1;
  return {
    onProgress: (p) => {
      if (p.total < PROGRESS_MIN_FILES) return;
      if (process.stderr.isTTY) {
        if (!bar) {
          bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'ingesting [{bar}] {value}/{total} {file}', hideCursor: true }, cliProgress.Presets.shades_classic);
          bar.start(p.total, 0, { file: '' });
        }
        bar.update(p.done, { file: p.path });
        return;
      }
      // Not a terminal (CI, a pipe): one line per tenth.
      const tenth = Math.floor((10 * p.done) / p.total);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        process.stderr.write(`ingesting: ${p.done}/${p.total} files\n`);
      }
    },
    stop: () => bar?.stop(),
  };
}

function describeAdd(target: string, r: IngestReport): string {
  const lines = r.files
    .filter((f) => f.status !== 'unchanged')
    .map((f) => `  ${f.status.padEnd(9)} ${f.path}${f.chunks !== undefined && (f.status === 'added' || f.status === 'updated') ? ` (${f.chunks} chunks)` : ''}${f.reason ? ` - ${f.reason}` : ''}`);
  const counts = (['added', 'updated', 'unchanged', 'moved', 'duplicate', 'skipped', 'failed'] as const)
    .filter((k) => r[k] > 0)
    .map((k) => `${r[k]} ${k}`)
    .join(', ');
  return [`${target}: ${counts || 'no files'}; ${r.chunksWritten} chunks written (embedder ${r.embedder})`, ...lines].join('\n');
}

function snippet(text: string, width = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 3)}...` : flat;
}

export function registerKnowledgeCommands(program: Command): void {
  const knowledge = program
    .command('knowledge')
    .description('knowledge store: add markdown/text/PDF/YAML sources, list them, hybrid search (vector + BM25)');

  withEmbeddingOptions(
    knowledge
      .command('add')
      .description('ingest files or folders (idempotent: unchanged files are left alone, edited ones re-chunked)')
      .argument('<paths...>', 'files or directories (.md .txt .pdf .yml)'),
  ).action(async (paths: string[], opts: EmbeddingOpts, cmd: Command) => {
    const reports: Array<{ path: string; report: IngestReport }> = [];
    await withStore(cmd, opts, async (store) => {
      for (const p of paths) {
        const progress = progressReporter();
        try {
          const report = await store.addPath(p, { onProgress: progress.onProgress });
          reports.push({ path: p, report });
          if (!opts.json) process.stdout.write(describeAdd(p, report) + '\n');
        } finally {
          progress.stop();
        }
      }
    });
    const failed = reports.reduce((n, r) => n + r.report.failed, 0);
    if (opts.json) printJson({ ok: failed === 0, results: reports });
    if (failed > 0) process.exitCode = 1;
  });

  withEmbeddingOptions(knowledge.command('ls').description('list ingested documents: path, title, chunks, licence')).action(
    async (opts: EmbeddingOpts, cmd: Command) => {
      await withStore(cmd, opts, async (store) => {
        const docs = await store.listDocuments();
        if (opts.json) {
          printJson({ documents: docs, embedder: store.embedderName, vectorMode: store.vectorMode });
          return;
        }
        if (docs.length === 0) {
          process.stdout.write('no documents (playforge knowledge add knowledge/sources)\n');
          return;
        }
        const width = Math.min(60, Math.max(...docs.map((d) => d.path.length)));
        for (const d of docs) {
          process.stdout.write(`${d.path.padEnd(width)}  ${String(d.chunks).padStart(4)} chunks  ${(d.licence ?? '-').padEnd(12)}  ${d.title}\n`);
        }
        process.stdout.write(`${docs.length} documents, ${docs.reduce((n, d) => n + d.chunks, 0)} chunks\n`);
      });
    },
  );

  withEmbeddingOptions(
    knowledge
      .command('search')
      .description('hybrid search: vector similarity and BM25 keywords fused by reciprocal rank')
      .argument('<query>', 'what to look for')
      .option('-k, --k <n>', 'number of hits', '5')
      .addOption(new Option('--mode <mode>', 'ranking').choices(['hybrid', 'vector', 'keyword']).default('hybrid'))
      .option('--doc <path>', 'only this document'),
  ).action(async (query: string, opts: EmbeddingOpts & { k: string; mode: SearchMode; doc?: string }, cmd: Command) => {
    await withStore(cmd, opts, async (store) => {
      let docId: string | undefined;
      if (opts.doc !== undefined) {
        const doc = await store.getDocumentByPath(opts.doc);
        if (!doc) {
          process.stderr.write(`error: ${opts.doc} is not in the knowledge store (playforge knowledge ls)\n`);
          process.exitCode = 1;
          return;
        }
        docId = doc.id;
      }
      const hits = await store.search(query, { k: Number(opts.k), mode: opts.mode, docId });
      if (opts.json) {
        printJson({ query, mode: opts.mode, embedder: store.embedderName, vectorMode: store.vectorMode, hits });
        return;
      }
      if (hits.length === 0) process.stdout.write('no matches\n');
      hits.forEach((h, i) => {
        const where = `${h.docPath}:${h.chunk.lineStart}-${h.chunk.lineEnd}`;
        const scores = `score ${h.score.toFixed(4)}; vector ${h.vectorScore?.toFixed(3) ?? '-'}; bm25 ${h.keywordScore?.toFixed(2) ?? '-'}`;
        process.stdout.write(`${i + 1}. ${where}${h.chunk.heading ? `  [${h.chunk.heading}]` : ''}\n   ${scores}\n   ${snippet(h.chunk.text)}\n`);
      });
    });
  });

  withEmbeddingOptions(
    knowledge.command('reembed').description('re-embed every chunk with the configured embedder (after changing it), in one transaction'),
  ).action(async (opts: EmbeddingOpts, cmd: Command) => {
    await withStore(cmd, opts, async (store) => {
      const report = await store.reembed();
      if (opts.json) printJson(report);
      else process.stdout.write(`re-embedded ${report.chunks} chunks with ${report.embedder}${report.previous.length ? ` (was ${report.previous.join(', ')})` : ''}\n`);
    });
  });
}
