// Anthropic's messages API: structured output through tool use. The answer schema is the input schema of
// one tool the model is made to call; its input is the answer.
import Anthropic from '@anthropic-ai/sdk';
import { withRetry, type RetryOptions } from './retry.ts';
import type { LlmConfig, LlmProvider, StructuredRequest, StructuredResponse } from './types.ts';

export class AnthropicProvider implements LlmProvider {
  readonly name = 'anthropic' as const;
  readonly model: string;
  private readonly client: Anthropic;

  constructor(
    private readonly config: LlmConfig,
    private readonly retry: Pick<RetryOptions, 'onRetry' | 'sleep'> = {},
  ) {
    this.model = config.model;
    // An explicit key (a placeholder for keyless local proxies) keeps the SDK from looking for credentials elsewhere.
    this.client = new Anthropic({ apiKey: config.apiKey || 'no-key', baseURL: config.baseUrl, timeout: config.timeoutMs, maxRetries: 0 });
  }

  async complete(req: StructuredRequest): Promise<StructuredResponse> {
    const message = await withRetry(
      () =>
        this.client.messages.create({
          model: this.model,
          max_tokens: req.maxTokens ?? this.config.maxTokens,
          system: req.system,
          messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
          tools: [{ name: req.schemaName, description: 'Submit the answer: call this exactly once with the complete object.', input_schema: req.schema as Anthropic.Tool.InputSchema }],
          tool_choice: { type: 'tool', name: req.schemaName },
        }),
      { ...this.retry, maxRetries: this.config.maxRetries, maxRetryDelayMs: this.config.maxRetryDelayMs, timeoutMs: this.config.timeoutMs, provider: `anthropic ${this.model}`, secret: this.config.apiKey },
    );
    const tool = message.content.find((b) => b.type === 'tool_use');
    if (tool && tool.type === 'tool_use') return { text: JSON.stringify(tool.input), value: tool.input, model: message.model || this.model, structured: 'tool' };
    // No tool call: whatever text came back goes through JSON extraction like a plain completion.
    const text = message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    return { text, model: message.model || this.model, structured: 'none' };
  }
}
