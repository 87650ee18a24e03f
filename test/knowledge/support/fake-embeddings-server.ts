// A local OpenAI-compatible /v1/embeddings server on 127.0.0.1 for tests. By default it answers with a
// deterministic vector per input (so equal texts get equal vectors); a test can queue scripted answers
// (status, headers, raw body) that are served first, one per request.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface RecordedRequest {
  path: string;
  authorization: string | undefined;
  body: { model?: string; input?: string[]; encoding_format?: string; dimensions?: number };
}

export interface FakeEmbeddingsServer {
  /** e.g. http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  requests: RecordedRequest[];
  script: ScriptedAnswer[];
  /** Length of the default vectors. */
  dimensions: number;
  /** Serve the default answers' items in reverse order (with their index), as a server may. */
  reverse: boolean;
  /** Never answer (timeouts). */
  hang: boolean;
  close(): Promise<void>;
}

/** A deterministic vector for a text: character codes folded into `dims` slots. */
export function fakeVector(text: string, dims: number): number[] {
  const v = new Array<number>(dims).fill(0);
  for (let i = 0; i < text.length; i++) v[(text.charCodeAt(i) + i) % dims] += 1;
  v[0] += 0.5; // never the zero vector
  return v;
}

export async function startFakeEmbeddingsServer(dimensions = 8): Promise<FakeEmbeddingsServer> {
  const state = { requests: [] as RecordedRequest[], script: [] as ScriptedAnswer[], dimensions, reverse: false, hang: false };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      let body: RecordedRequest['body'] = {};
      try {
        body = JSON.parse(raw) as RecordedRequest['body'];
      } catch {
        // recorded as empty
      }
      state.requests.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
      if (state.hang) return;
      const scripted = state.script.shift();
      if (scripted) {
        res.writeHead(scripted.status, { 'content-type': 'application/json', ...scripted.headers });
        res.end(scripted.body);
        return;
      }
      if (req.url !== '/v1/embeddings' || req.method !== 'POST') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${req.url}` } }));
        return;
      }
      const inputs = body.input ?? [];
      const data = inputs.map((text, index) => ({ object: 'embedding', index, embedding: fakeVector(text, state.dimensions) }));
      if (state.reverse) data.reverse();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 0, total_tokens: 0 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeEmbeddingsServer = {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return state.requests;
    },
    get script() {
      return state.script;
    },
    get dimensions() {
      return state.dimensions;
    },
    set dimensions(d: number) {
      state.dimensions = d;
    },
    get reverse() {
      return state.reverse;
    },
    set reverse(r: boolean) {
      state.reverse = r;
    },
    get hang() {
      return state.hang;
    },
    set hang(h: boolean) {
      state.hang = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
