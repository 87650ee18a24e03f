// One candidate from a language model: ask, validate with the DSL, and on failure send the exact errors
// (file:line:col messages, with the YAML they point into) back, a bounded number of times.
import { PlayforgeError } from '../../common/errors.ts';
import { buildCandidate, type Candidate, type Provenance } from '../candidate.ts';
import { extractJson } from './extract-json.ts';
import { ANSWER_SCHEMA_NAME } from './prompt.ts';
import type { ChatMessage, LlmProvider } from './types.ts';

export interface RepairTask {
  provider: LlmProvider;
  system: string;
  schema: Record<string, unknown>;
  userPrompt: string;
  /** The play's name (forced onto the answer) and the file name its errors carry. */
  name: string;
  file: string;
  /** Provenance fields that do not depend on the answer. */
  provenance: Omit<Provenance, 'primitives' | 'chunkIds' | 'model' | 'attempts'>;
  /** Passages shown to the model (the chunk ids it may cite). */
  passageIds: readonly number[];
  knownPrimitives: ReadonlySet<string>;
  /** Signatures of the candidates already accepted: a duplicate is sent back too. */
  signatures: ReadonlySet<string>;
  maxAttempts: number;
}

export type RepairOutcome =
  | { ok: true; candidate: Candidate; attempts: number }
  | { ok: false; error: PlayforgeError; attempts: number; lastProblems: string[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function numbered(yaml: string): string {
  return yaml.split('\n').map((l, i) => `${String(i + 1).padStart(4)} | ${l}`).join('\n');
}

interface Judged {
  candidate?: Candidate;
  problems: string[];
  feedback?: string;
}

function judge(task: RepairTask, value: unknown, model: string, attempts: number): Judged {
  if (!isObject(value)) {
    return { problems: ['the answer is not a JSON object'], feedback: 'Your answer was not a JSON object. Answer with exactly one JSON object {"play": {...}, "primitives": [...], "chunk_ids": [...], "rationale": "..."}.' };
  }
  // Some models answer with the play itself instead of the wrapper.
  const raw = isObject(value.play) ? value.play : 'actions' in value ? value : undefined;
  if (!raw) return { problems: ["the answer has no 'play' object"], feedback: 'Your answer has no "play" object. Put the play under "play" and answer with the whole JSON object again.' };
  // The name is ours; version and name lead the YAML as in hand-written plays.
  const { version, name: _name, ...rest } = raw;
  const play: Record<string, unknown> = { ...(version !== undefined ? { version } : {}), name: task.name, ...rest };
  const rationale = typeof value.rationale === 'string' ? value.rationale.trim() : '';
  if (typeof play.description !== 'string' || !play.description.trim()) play.description = rationale || `Generated from ${task.provenance.documentPath}`;
  const primitives = Array.isArray(value.primitives) ? value.primitives.filter((p): p is string => typeof p === 'string' && task.knownPrimitives.has(p)) : [];
  const cited = Array.isArray(value.chunk_ids) ? value.chunk_ids.filter((c): c is number => typeof c === 'number' && task.passageIds.includes(c)) : [];
  const provenance: Provenance = {
    ...task.provenance,
    primitives: [...new Set(primitives)],
    chunkIds: cited.length ? [...new Set(cited)].sort((a, b) => a - b) : [...task.passageIds],
    model,
    attempts,
  };
  const extra = rationale ? [`Model rationale: ${rationale.replace(/\s+/g, ' ')}`] : [];
  const built = buildCandidate(play, provenance, task.file, extra);
  if (!built.candidate) {
    const problems = built.errors.map((e) => e.format());
    return {
      problems,
      feedback: [
        `The play does not validate. This is the YAML form of your "play" (line numbers on the left):`,
        numbered(built.yaml),
        '',
        'Errors (file:line:column: message [CODE] (path in the play)):',
        ...problems.map((p) => `- ${p}`),
        '',
        'Fix every error and answer with the complete corrected JSON object (same form as before).',
      ].join('\n'),
    };
  }
  if (task.signatures.has(built.candidate.signature)) {
    return {
      problems: ['the play repeats the structure of a candidate already written'],
      feedback: 'This play has the same structure as a candidate already written (same indicators, structures and conditions). Write a structurally different play from the same source and answer with the complete JSON object.',
    };
  }
  return { candidate: built.candidate, problems: [] };
}

export async function generateWithRepair(task: RepairTask): Promise<RepairOutcome> {
  const messages: ChatMessage[] = [{ role: 'user', content: task.userPrompt }];
  let problems: string[] = [];
  for (let attempt = 1; attempt <= task.maxAttempts; attempt++) {
    // Provider failures (timeout, rate limit after retries, auth) end this candidate with their own error.
    const answer = await task.provider.complete({ system: task.system, messages, schema: task.schema, schemaName: ANSWER_SCHEMA_NAME });
    let value = answer.value;
    let feedback: string | undefined;
    if (value === undefined) {
      const parsed = extractJson(answer.text);
      if (parsed.ok) value = parsed.value;
      else {
        problems = [`malformed JSON: ${parsed.error}`];
        feedback = `Your answer is not valid JSON (${parsed.error}). Answer with exactly one JSON object and nothing else: {"play": {...}, "primitives": [...], "chunk_ids": [...], "rationale": "..."}.`;
      }
    }
    if (!feedback) {
      const judged = judge(task, value, answer.model, attempt);
      if (judged.candidate) return { ok: true, candidate: judged.candidate, attempts: attempt };
      problems = judged.problems;
      feedback = judged.feedback;
    }
    messages.push({ role: 'assistant', content: answer.text || '(empty answer)' }, { role: 'user', content: feedback! });
  }
  const shown = problems.slice(0, 5).join('; ');
  return {
    ok: false,
    attempts: task.maxAttempts,
    lastProblems: problems,
    error: new PlayforgeError('LLM_NO_VALID_PLAY', `${task.provider.name} ${task.provider.model} gave no valid play for ${task.name} in ${task.maxAttempts} attempts; last problems: ${shown}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}`, { file: task.file }),
  };
}
