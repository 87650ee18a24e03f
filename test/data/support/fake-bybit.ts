// A local stand-in for Bybit's V5 market endpoints on 127.0.0.1 (ephemeral port), answering with the
// recorded response envelopes in test/fixtures/bybit/ and scripted faults (rate limit, 5xx, cut bodies, hangs).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'bybit');
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as Record<string, unknown>;

export interface FakeBar {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export type FaultKind =
  | 'rateLimit' // HTTP 200, retCode 10006 (Bybit's rate-limit answer) with X-Bapi-Limit-* headers
  | 'serverError' // HTTP 200, retCode 10016
  | 'paramError' // HTTP 200, retCode 10001 (not retryable)
  | 'http5xx' // HTTP `status` (default 502) with an HTML body, as a proxy would send
  | 'truncated' // HTTP 200, the first half of the JSON body, then a clean end
  | 'cut' // HTTP 200, Content-Length of the full body, half of it sent, then the socket is destroyed
  | 'hang'; // no answer at all (the client's timeout must fire)

export interface Fault {
  kind: FaultKind;
  /** Only for requests to this path (default: any). */
  path?: string;
  status?: number;
}

export interface FakeBybitOptions {
  /** Bars per Bybit interval value ('60', 'D', ...), ascending. */
  bars: Record<string, FakeBar[]>;
  funding?: Array<{ ts: number; rate: number }>;
  symbol?: string;
  category?: string;
  faults?: Fault[];
  /** Largest page the server hands out, whatever `limit` asks (Bybit: 1000 klines, 200 funding rows). */
  maxKlines?: number;
}

export interface FakeBybit {
  url: string;
  /** Every request received, in order: path and query parameters. */
  requests: Array<{ path: string; query: Record<string, string> }>;
  /** Pending faults; each is consumed by the next matching request. Push more at any time. */
  faults: Fault[];
  close(): Promise<void>;
}

function envelope(template: Record<string, unknown>, result: Record<string, unknown>): string {
  return JSON.stringify({ ...template, result: { ...(template.result as object), ...result }, time: Date.now() });
}

export async function startFakeBybit(opts: FakeBybitOptions): Promise<FakeBybit> {
  const klineTemplate = fixture('nautilus_http_get_klines_linear.json');
  const fundingTemplate = fixture('official_market__history-fund-rate__1.json');
  const rateLimited = fixture('rate_limit_10006.json');
  const serverError = fixture('server_error_10016.json');
  const paramError = fixture('param_error_10001.json');
  const symbol = opts.symbol ?? 'BTCUSDT';
  const category = opts.category ?? 'linear';
  const requests: FakeBybit['requests'] = [];
  const faults: Fault[] = [...(opts.faults ?? [])];

  const klines = (q: Record<string, string>): string => {
    const list = opts.bars[q.interval] ?? [];
    const start = q.start !== undefined ? Number(q.start) : -Infinity;
    const end = q.end !== undefined ? Number(q.end) : Infinity;
    const limit = Math.min(opts.maxKlines ?? 1000, Math.max(1, Number(q.limit ?? 200)));
    const page = list
      .filter((b) => b.ts >= start && b.ts <= end)
      .sort((a, b) => b.ts - a.ts)
      .slice(0, limit)
      .map((b) => [b.ts, b.open, b.high, b.low, b.close, b.volume, b.volume * b.close].map(String));
    return envelope(klineTemplate, { category, symbol, list: page });
  };

  const funding = (q: Record<string, string>): string | undefined => {
    if (q.startTime !== undefined && q.endTime === undefined) return undefined; // Bybit refuses startTime alone
    const start = q.startTime !== undefined ? Number(q.startTime) : -Infinity;
    const end = q.endTime !== undefined ? Number(q.endTime) : Infinity;
    const limit = Math.min(200, Math.max(1, Number(q.limit ?? 200)));
    const page = (opts.funding ?? [])
      .filter((f) => f.ts >= start && f.ts <= end)
      .sort((a, b) => b.ts - a.ts)
      .slice(0, limit)
      .map((f) => ({ symbol, fundingRate: String(f.rate), fundingRateTimestamp: String(f.ts) }));
    return envelope(fundingTemplate, { category, list: page });
  };

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(u.searchParams.entries());
    requests.push({ path: u.pathname, query });
    const json = (status: number, body: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
      res.end(body);
    };
    let body: string | undefined;
    if (u.pathname === '/v5/market/kline') body = klines(query);
    else if (u.pathname === '/v5/market/funding/history') {
      body = funding(query);
      if (body === undefined) return json(200, JSON.stringify({ ...paramError, time: Date.now() }));
    } else return json(404, JSON.stringify({ retCode: 10017, retMsg: 'Route not found', result: {}, retExtInfo: {}, time: Date.now() }));

    const fi = faults.findIndex((f) => !f.path || f.path === u.pathname);
    const fault = fi >= 0 ? faults.splice(fi, 1)[0] : undefined;
    switch (fault?.kind) {
      case undefined:
        return json(200, body, { 'X-Bapi-Limit': '600', 'X-Bapi-Limit-Status': '599', 'X-Bapi-Limit-Reset-Timestamp': String(Date.now()) });
      case 'rateLimit':
        return json(200, JSON.stringify({ ...rateLimited, time: Date.now() }), {
          'X-Bapi-Limit': '600',
          'X-Bapi-Limit-Status': '0',
          'X-Bapi-Limit-Reset-Timestamp': String(Date.now() + 1000),
        });
      case 'serverError':
        return json(200, JSON.stringify({ ...serverError, time: Date.now() }));
      case 'paramError':
        return json(200, JSON.stringify({ ...paramError, time: Date.now() }));
      case 'http5xx':
        res.writeHead(fault.status ?? 502, { 'content-type': 'text/html' });
        return res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      case 'truncated':
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        return res.end(body.slice(0, Math.floor(body.length / 2)));
      case 'cut':
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
        res.write(body.slice(0, Math.floor(body.length / 2)));
        setTimeout(() => res.destroy(), 5);
        return;
      case 'hang':
        return; // never answers
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Bars from a shipped CSV (ts,open,high,low,close,volume), for the fake server to serve. */
export function barsFromCsv(file: string, maxRows = Infinity): FakeBar[] {
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  return lines.slice(0, maxRows).map((l) => {
    const [ts, open, high, low, close, volume] = l.split(',').map(Number);
    return { ts, open, high, low, close, volume };
  });
}

export function fundingFromCsv(file: string): Array<{ ts: number; rate: number }> {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [ts, rate] = l.split(',').map(Number);
      return { ts, rate };
    });
}
