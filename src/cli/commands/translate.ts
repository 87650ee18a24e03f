// `playforge translate SOURCE -n 5 --out DIR`: candidate plays from a knowledge source (offline from the
// primitives catalogue, or with a language model), written one YAML file each, stored in the warm store's
// plays table with their provenance. A thin shell over src/agent.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { PlayforgeError } from '../../common/errors.ts';
import {
  createProvider, describeLlmConfig, llmConfigured, resolveLlmConfig, saveCandidates, translateDetailed, type LlmFlags, type StoredCandidate, type TranslateMode,
} from '../../agent/index.ts';
import { createEmbedder, createKnowledgeStore, resolveEmbedderConfig } from '../../knowledge/index.ts';
import { openWarmStore } from '../../store/index.ts';
import { dataDirOf, err, out } from '../io.ts';

interface TranslateCliOptions extends LlmFlags {
  n: string;
  out?: string;
  seed: string;
  mode?: TranslateMode;
  symbol?: string;
  maxAttempts?: string;
  schema: boolean;
  store: boolean;
  json?: boolean;
}

function intOption(raw: string, name: string, min: number, max: number): number {
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min || v > max) throw new PlayforgeError('CLI_BAD_OPTION', `${name} must be an integer in ${min}..${max}, got "${raw}"`, { path: name });
  return v;
}

export function registerTranslateCommands(program: Command): void {
  program
    .command('translate')
    .description('turn a knowledge source into candidate plays (offline from the primitives catalogue, or with an LLM)')
    .argument('<source>', 'a knowledge document (markdown, text, PDF, YAML note); added to the knowledge store first when new')
    .option('-n, --n <count>', 'number of candidates', '5')
    .option('--out <dir>', 'where the candidate YAML files go (default <data-dir>/candidates/<source>)')
    .option('--seed <n>', 'seed of the variation between candidates', '1')
    .addOption(new Option('--mode <mode>', 'offline (catalogue composition) or llm; default llm when one is configured, else offline').choices(['offline', 'llm']))
    .addOption(new Option('--provider <name>', 'LLM API: openai (any OpenAI-compatible server) or anthropic (env PLAYFORGE_LLM_PROVIDER)').choices(['openai', 'anthropic']))
    .option('--model <name>', 'model name (env PLAYFORGE_LLM_MODEL)')
    .option('--base-url <url>', 'server base URL, e.g. http://127.0.0.1:11434/v1 (env PLAYFORGE_LLM_BASE_URL); key from PLAYFORGE_LLM_API_KEY, OPENAI_API_KEY or ANTHROPIC_API_KEY')
    .option('--timeout-ms <ms>', 'per-request timeout (env PLAYFORGE_LLM_TIMEOUT_MS, default 120000)')
    .option('--max-retries <n>', 'retries of a rate-limited or failed request (default 3)')
    .option('--max-attempts <n>', 'requests per candidate: the first answer plus repairs (default 4)')
    .addOption(new Option('--structured-output <how>', 'OpenAI-compatible: json_schema, json_object, none, or auto (falls back in that order)').choices(['auto', 'json_schema', 'json_object', 'none']))
    .option('--no-schema', "leave the Play's JSON Schema out of the prompt (small local models)")
    .option('--symbol <symbol>', 'symbol of the generated plays (default BTCUSDT)')
    .option('--no-store', 'do not store the candidates in the warm store')
    .option('--json', 'print one JSON document')
    .action(async (source: string, opts: TranslateCliOptions, cmd: Command) => {
      const n = intOption(opts.n, '-n', 1, 100);
      const seed = intOption(opts.seed, '--seed', 0, 2 ** 32 - 1);
      const dataDir = dataDirOf(cmd);
      const llmFlags: LlmFlags = { provider: opts.provider, model: opts.model, baseUrl: opts.baseUrl, timeoutMs: opts.timeoutMs, maxRetries: opts.maxRetries, structuredOutput: opts.structuredOutput };
      // Offline unless asked for an LLM or one is configured (flags or environment).
      const wantsLlm = opts.mode === 'llm' || (opts.mode === undefined && llmConfigured(llmFlags));
      const config = wantsLlm ? resolveLlmConfig(llmFlags) : undefined;
      const provider = config
        ? createProvider(config, { onRetry: ({ attempt, delayMs, failure }) => err(`llm: ${failure.kind}${failure.status ? ` (HTTP ${failure.status})` : ''}; retry ${attempt} in ${(delayMs / 1000).toFixed(1)} s`) })
        : undefined;
      const mode: TranslateMode = provider ? 'llm' : 'offline';
      err(`translate: ${source} (${mode}${config ? `: ${JSON.stringify(describeLlmConfig(config))}` : ''}), ${n} candidate${n > 1 ? 's' : ''}, seed ${seed}`);

      // One warm store for both jobs: the knowledge store reads the source from it, the plays go into it.
      const embedder = createEmbedder(resolveEmbedderConfig({}));
      if (embedder.dimensions === 0) await embedder.embed(['dimension probe']);
      const warm = await openWarmStore({ dataDir, embeddingDimensions: embedder.dimensions });
      let result;
      let stored: StoredCandidate[] = [];
      try {
        const knowledge = createKnowledgeStore(warm, { embedder });
        result = await translateDetailed(source, {
          n, seed, mode, provider: mode === 'llm' ? provider : undefined, knowledge, symbol: opts.symbol, includeSchema: opts.schema,
          maxAttempts: opts.maxAttempts ? intOption(opts.maxAttempts, '--max-attempts', 1, 20) : undefined,
          onEvent: (e) => err(e.type === 'candidate' ? `llm: ${e.name} valid after ${e.attempts} request${e.attempts > 1 ? 's' : ''}` : `llm: ${e.name} failed: ${e.message} [${e.code}]`),
        });
        if (opts.store && result.candidates.length) stored = await saveCandidates(warm.sql, result.candidates);
      } finally {
        await warm.close();
      }
      const dir = path.resolve(opts.out ?? path.join(dataDir, 'candidates', path.basename(source).replace(/\.[^.]+$/, '')));
      if (result.candidates.length) await mkdir(dir, { recursive: true });
      const written = [];
      for (const [i, c] of result.candidates.entries()) {
        const file = path.join(dir, `${c.play.name}.yml`);
        await writeFile(file, c.yaml);
        written.push({ name: c.play.name, file, playId: stored[i]?.id ?? null, newlyStored: stored[i]?.created ?? false, signature: c.signature, provenance: c.provenance });
      }
      if (result.candidates.length === 0) process.exitCode = 1;

      if (opts.json) {
        out(JSON.stringify({ source: result.source, mode: result.mode, model: result.model ?? null, outDir: dir, candidates: written, failures: result.failures }));
        return;
      }
      out(`${result.candidates.length} candidate${result.candidates.length === 1 ? '' : 's'} from ${result.source.documentPath} ("${result.source.title}", ${result.source.passages} passages, ${result.mode}${result.model ? ` ${result.model}` : ''})`);
      for (const w of written) {
        const p = w.provenance;
        out(`${w.name} -> ${w.file}`);
        out(`  from chunks ${p.chunkIds.join(', ') || '(none)'} of document ${p.documentId}`);
        out(`  ${p.template ? `template ${p.template}: ` : ''}${p.primitives.join(' + ') || '(no catalogue primitive)'}${p.attempts ? `, ${p.attempts} request${p.attempts > 1 ? 's' : ''}` : ''}`);
        if (w.playId) out(`  stored as play ${w.playId}${w.newlyStored ? '' : ' (already stored)'}`);
      }
      for (const f of result.failures) out(`failed: ${f.name}: ${f.message} [${f.code}]`);
    });
}
