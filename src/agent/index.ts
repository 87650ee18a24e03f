// Public surface of the agent stage; other stages import only from here.
export { translate, translateDetailed, defaultMode, type TranslateOptions, type TranslateResult, type TranslateMode } from './translate.ts';
export type { Candidate, Provenance, PrimitiveEvidence } from './candidate.ts';
export { saveCandidates, candidatesOfDocument, contentHash, type StoredCandidate } from './persist.ts';
export { readSource, type TranslationSource, type Passage, type KnowledgeReader } from './source.ts';
export { translateOffline, sourceStem, scoreCompositions, type OfflineOptions, type OfflineResult } from './offline.ts';
export { matchPrimitives, type PrimitiveMatch } from './match.ts';
export { composeRaw, directionsOf, type Composition, type SlotFill } from './compose.ts';
export { playSignature } from './normalize.ts';
export { renderPlayYaml } from './render.ts';
export { createProvider, resolveLlmConfig, llmConfigured, describeLlmConfig, DEFAULT_MODELS, type LlmFlags } from './llm/config.ts';
export type { LlmConfig, LlmProvider, StructuredRequest, StructuredResponse, ChatMessage } from './llm/types.ts';
export type { CandidateFailure, LlmEvent } from './llm/translate-llm.ts';
export { extractJson } from './llm/extract-json.ts';
