// LLM mode: retrieve the source's passages, prompt with them, the catalogue and the Play's JSON Schema,
// and collect n validated, structurally distinct candidates (each through the bounded repair loop).
import { isPlayforgeError, type PlayforgeError } from '../../common/errors.ts';
import type { Catalog } from '../../knowledge/catalog/index.ts';
import type { Candidate } from '../candidate.ts';
import { selectPassages } from '../match.ts';
import { sourceStem } from '../offline.ts';
import type { TranslationSource } from '../source.ts';
import { answerSchema, systemPrompt, userPrompt, type PreviousCandidate } from './prompt.ts';
import { generateWithRepair } from './repair-loop.ts';
import type { LlmProvider } from './types.ts';

export interface LlmTranslateOptions {
  n: number;
  seed: number;
  /** Requests per candidate: the first answer plus repairs (default 4). */
  maxAttempts?: number;
  /** Characters of passages in the prompt (default 16,000). */
  passageBudget?: number;
  /** Put the Play's JSON Schema in the system prompt (default true; small local models may need it left out). */
  includeSchema?: boolean;
  onEvent?: (event: LlmEvent) => void;
}

export type LlmEvent =
  | { type: 'candidate'; index: number; name: string; attempts: number }
  | { type: 'failure'; index: number; name: string; code: string; message: string };

export interface CandidateFailure {
  index: number;
  name: string;
  code: string;
  message: string;
  attempts?: number;
  problems?: string[];
}

export interface LlmTranslateResult {
  candidates: Candidate[];
  failures: CandidateFailure[];
}

export async function translateWithLlm(source: TranslationSource, catalog: Catalog, provider: LlmProvider, opts: LlmTranslateOptions): Promise<LlmTranslateResult> {
  const passages = selectPassages(source.passages, catalog.primitives, opts.passageBudget ?? 16_000);
  const system = systemPrompt(catalog, { includeSchema: opts.includeSchema });
  const schema = answerSchema();
  const stem = sourceStem(source.documentPath);
  const knownPrimitives = new Set(catalog.primitives.map((p) => p.id));
  const candidates: Candidate[] = [];
  const failures: CandidateFailure[] = [];
  const signatures = new Set<string>();
  const previous: PreviousCandidate[] = [];

  for (let index = 1; index <= opts.n; index++) {
    const name = `${stem}_llm_${String(index).padStart(3, '0')}`;
    try {
      const outcome = await generateWithRepair({
        provider,
        system,
        schema,
        userPrompt: userPrompt(source, passages, { name, index, n: opts.n, previous }),
        name,
        file: `${name}.yml`,
        provenance: { documentId: source.documentId, documentPath: source.documentPath, documentTitle: source.title, template: null, mode: 'llm', provider: provider.name, seed: opts.seed },
        passageIds: passages.map((p) => p.chunkId),
        knownPrimitives,
        signatures,
        maxAttempts: opts.maxAttempts ?? 4,
      });
      if (outcome.ok) {
        candidates.push(outcome.candidate);
        signatures.add(outcome.candidate.signature);
        previous.push({ name, primitives: outcome.candidate.provenance.primitives, description: outcome.candidate.play.description });
        opts.onEvent?.({ type: 'candidate', index, name, attempts: outcome.attempts });
      } else {
        failures.push({ index, name, code: outcome.error.code, message: outcome.error.message, attempts: outcome.attempts, problems: outcome.lastProblems });
        opts.onEvent?.({ type: 'failure', index, name, code: outcome.error.code, message: outcome.error.message });
      }
    } catch (e) {
      if (!isPlayforgeError(e)) throw e;
      // The provider itself failed (timeout, rate limit, auth, unreachable): later requests would fail alike.
      const err = e as PlayforgeError;
      failures.push({ index, name, code: err.code, message: err.message });
      opts.onEvent?.({ type: 'failure', index, name, code: err.code, message: err.message });
      break;
    }
  }
  return { candidates, failures };
}
