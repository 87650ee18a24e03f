// OpenAI-compatible chat completions (OpenAI, Ollama, vLLM, llama.cpp server): structured output through
// response_format json_schema where the server supports it, else json_object, else plain text from which the
// JSON is extracted. A server that rejects a format once is not asked for it again.
import OpenAI from 'openai';
import { PlayforgeError } from '../../common/errors.ts';
import { classifySdkError, failureError, redact, withRetry, type RetryOptions } from './retry.ts';
import type { LlmConfig, LlmProvider, StructuredRequest, StructuredResponse } from './types.ts';

type Format = 'json_schema' | 'json_object' | 'none';
const LADDER: readonly Format[] = ['json_schema', 'json_object', 'none'];

export class OpenAICompatibleProvider implements LlmProvider {
  readonly name = 'openai' as const;
  readonly model: string;
  private readonly client: OpenAI;
  private format: Format;
  private readonly fallback: boolean;

  constructor(
    private readonly config: LlmConfig,
    private readonly retry: Pick<RetryOptions, 'onRetry' | 'sleep'> = {},
  ) {
    this.model = config.model;
    // Local servers need no key, but the SDK insists on one: a placeholder goes in the header instead.
    this.client = new OpenAI({ apiKey: config.apiKey || 'no-key', baseURL: config.baseUrl, timeout: config.timeoutMs, maxRetries: 0 });
    this.fallback = config.structuredOutput === 'auto';
    this.format = config.structuredOutput === 'auto' ? 'json_schema' : config.structuredOutput;
  }

  private responseFormat(req: StructuredRequest): OpenAI.ChatCompletionCreateParams['response_format'] {
    if (this.format === 'json_schema') return { type: 'json_schema', json_schema: { name: req.schemaName, schema: req.schema, strict: false } };
    if (this.format === 'json_object') return { type: 'json_object' };
    return undefined;
  }

  async complete(req: StructuredRequest): Promise<StructuredResponse> {
    const opts = { ...this.retry, maxRetries: this.config.maxRetries, maxRetryDelayMs: this.config.maxRetryDelayMs, timeoutMs: this.config.timeoutMs, provider: `openai-compatible ${this.model}`, secret: this.config.apiKey };
    for (;;) {
      const format = this.format;
      const responseFormat = this.responseFormat(req);
      try {
        const completion = await withRetry(
          () =>
            this.client.chat.completions.create({
              model: this.model,
              messages: [{ role: 'system', content: req.system }, ...req.messages],
              temperature: req.temperature ?? this.config.temperature,
              max_tokens: req.maxTokens ?? this.config.maxTokens,
              ...(responseFormat ? { response_format: responseFormat } : {}),
            }),
          { ...opts, passThrough: (e) => this.fallback && classifySdkError(e).kind === 'unsupported_format' },
        );
        const text = completion.choices?.[0]?.message?.content ?? '';
        return { text, model: completion.model || this.model, structured: format };
      } catch (e) {
        if (e instanceof PlayforgeError) throw e;
        // Only an unsupported response_format gets here: step down the ladder, for later requests too.
        const next = LADDER[LADDER.indexOf(format) + 1];
        if (!next) {
          const f = classifySdkError(e);
          throw failureError({ ...f, detail: redact(f.detail, this.config.apiKey) }, opts, 1);
        }
        this.format = next;
      }
    }
  }
}
