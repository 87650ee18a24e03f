// What the translation agent needs from a language model: one structured completion at a time.

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface StructuredRequest {
  system: string;
  messages: ChatMessage[];
  /** JSON Schema of the expected answer (an object). */
  schema: Record<string, unknown>;
  /** Name of the schema / tool ([a-zA-Z0-9_-]). */
  schemaName: string;
  temperature?: number;
  maxTokens?: number;
}

export interface StructuredResponse {
  /** The answer as text (JSON when the model complied), shown back to the model when it must be repaired. */
  text: string;
  /** Parsed answer when the provider delivered structured output (tool input, JSON mode). */
  value?: unknown;
  model: string;
  /** How the structure was requested: json_schema, json_object, none (text) or tool. */
  structured: 'json_schema' | 'json_object' | 'none' | 'tool';
}

export interface LlmProvider {
  readonly name: 'openai' | 'anthropic';
  readonly model: string;
  complete(request: StructuredRequest): Promise<StructuredResponse>;
}

export type StructuredOutputMode = 'auto' | 'json_schema' | 'json_object' | 'none';

export interface LlmConfig {
  provider: 'openai' | 'anthropic';
  model: string;
  /** OpenAI-compatible: e.g. http://127.0.0.1:11434/v1 (Ollama); Anthropic: e.g. https://api.anthropic.com. */
  baseUrl?: string;
  /** Never logged or put in an error message. */
  apiKey?: string;
  /** Per request. */
  timeoutMs: number;
  /** Retries of a rate-limited (429) or failed (5xx, connection) request. */
  maxRetries: number;
  /** Longest wait a Retry-After header may impose before we give up instead. */
  maxRetryDelayMs: number;
  /** OpenAI-compatible only: how to ask for JSON (auto: json_schema, falling back to json_object, then plain text). */
  structuredOutput: StructuredOutputMode;
  maxTokens: number;
  temperature: number;
}
