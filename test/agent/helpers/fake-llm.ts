// A local HTTP server on 127.0.0.1 that replays scripted answers in order and records every request, standing
// in for an OpenAI-compatible /v1/chat/completions endpoint or Anthropic's /v1/messages.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** JSON body (serialized) or raw text. */
  body?: unknown;
  /** Hold the answer back this long (timeouts). */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  /** Replies still queued. */
  pending(): number;
  close(): Promise<void>;
}

export async function startFakeServer(replies: Reply[]): Promise<FakeServer> {
  const queue = [...replies];
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString('utf8')));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: data ? (JSON.parse(data) as Record<string, unknown>) : {} });
      const reply = queue.shift() ?? { status: 500, body: { error: { message: 'no scripted reply left' } } };
      const send = () => {
        const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
        res.writeHead(reply.status ?? 200, { 'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/json', ...reply.headers });
        res.end(text);
      };
      if (reply.delayMs) {
        const t = setTimeout(() => {
          timers.delete(t);
          if (!res.destroyed) send();
        }, reply.delayMs);
        timers.add(t);
      } else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    pending: () => queue.length,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An OpenAI chat.completion whose message content is `content`. */
export function chatCompletion(content: string, model = 'fake-model'): Reply {
  return {
    body: {
      id: 'chatcmpl-1', object: 'chat.completion', created: 1_700_000_000, model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    },
  };
}

/** An Anthropic message that calls the tool `name` with `input`. */
export function anthropicToolUse(name: string, input: unknown, model = 'fake-claude'): Reply {
  return {
    body: {
      id: 'msg_1', type: 'message', role: 'assistant', model,
      content: [{ type: 'tool_use', id: 'toolu_1', name, input }],
      stop_reason: 'tool_use', stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 10 },
    },
  };
}
