// Bybit V5 public market-data client (klines, funding history) with retries and backoff.
// Sleep, clock and fetch are injectable so tests run against a local server without real waiting.
import { PlayforgeError } from '../common/errors.ts';
import { bybitInterval, type Interval } from './interval.ts';

export const DEFAULT_BYBIT_BASE_URL = 'https://api.bybit.com';

export type BybitCategory = 'linear' | 'inverse' | 'spot';

export interface BybitClientOptions {
  /** Default: env BYBIT_BASE_URL, else https://api.bybit.com. */
  baseUrl?: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Retries after the first attempt (default 6). */
  maxRetries?: number;
  /** First backoff delay; doubles per retry up to maxDelayMs (defaults 500 ms, 30 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per-request time limit including the body (default 15 s). */
  timeoutMs?: number;
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  path: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface BybitKline {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  turnover: number;
}

export interface BybitFunding {
  ts: number;
  rate: number;
}

/** Bybit retCodes worth retrying: rate limit (10006), server timeout (10000), server error (10016). */
const RETRY_RET_CODES = new Map<number, string>([
  [10006, 'rate limited (retCode 10006)'],
  [10000, 'server timeout (retCode 10000)'],
  [10016, 'server error (retCode 10016)'],
]);

class Retryable extends Error {
  constructor(
    message: string,
    readonly waitUntil?: number,
  ) {
    super(message);
  }
}

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class BybitClient {
  readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timeoutMs: number;
  private readonly onRetry?: (info: RetryInfo) => void;

  constructor(opts: BybitClientOptions = {}) {
    this.baseUrl = (opts.baseUrl ?? process.env.BYBIT_BASE_URL ?? DEFAULT_BYBIT_BASE_URL).replace(/\/+$/, '');
    this.fetchFn = opts.fetch ?? fetch;
    this.sleep = opts.sleep ?? realSleep;
    this.now = opts.now ?? Date.now;
    this.maxRetries = opts.maxRetries ?? 6;
    this.baseDelayMs = opts.baseDelayMs ?? 500;
    this.maxDelayMs = opts.maxDelayMs ?? 30_000;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.onRetry = opts.onRetry;
  }

  /** One page of `/v5/market/kline`, as Bybit returns it: newest first, at most `limit` (<= 1000) bars in [start, end]. */
  async getKlines(q: { category: BybitCategory; symbol: string; interval: Interval; start?: number; end?: number; limit?: number }): Promise<BybitKline[]> {
    const result = await this.get('/v5/market/kline', {
      category: q.category,
      symbol: q.symbol,
      interval: bybitInterval(q.interval),
      start: q.start,
      end: q.end,
      limit: q.limit ?? 1000,
    });
    const list = (result as { list?: unknown }).list;
    if (!Array.isArray(list)) throw badResponse('/v5/market/kline', 'result.list is not an array');
    return list.map((row, i) => {
      if (!Array.isArray(row) || row.length < 6) throw badResponse('/v5/market/kline', `list[${i}] is not a [startTime, open, high, low, close, volume, turnover] array`);
      const [ts, open, high, low, close, volume, turnover] = row.map(Number);
      if (![ts, open, high, low, close, volume].every(Number.isFinite)) throw badResponse('/v5/market/kline', `list[${i}] has a non-numeric field: ${JSON.stringify(row)}`);
      return { ts, open, high, low, close, volume, turnover: turnover ?? NaN };
    });
  }

  /** One page of `/v5/market/funding/history`: newest first, at most `limit` (<= 200). Bybit refuses startTime without endTime. */
  async getFundingHistory(q: { category: BybitCategory; symbol: string; startTime?: number; endTime?: number; limit?: number }): Promise<BybitFunding[]> {
    const result = await this.get('/v5/market/funding/history', {
      category: q.category,
      symbol: q.symbol,
      startTime: q.startTime,
      endTime: q.endTime,
      limit: q.limit ?? 200,
    });
    const list = (result as { list?: unknown }).list;
    if (!Array.isArray(list)) throw badResponse('/v5/market/funding/history', 'result.list is not an array');
    return list.map((row: { fundingRate?: unknown; fundingRateTimestamp?: unknown }, i) => {
      const ts = Number(row?.fundingRateTimestamp);
      const rate = Number(row?.fundingRate);
      if (!Number.isFinite(ts) || !Number.isFinite(rate)) throw badResponse('/v5/market/funding/history', `list[${i}] lacks fundingRate/fundingRateTimestamp: ${JSON.stringify(row)}`);
      return { ts, rate };
    });
  }

  /** GET with retries on network errors, timeouts, HTTP 429/5xx, unreadable bodies and retryable retCodes. */
  private async get(path: string, params: Record<string, string | number | undefined>): Promise<unknown> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) qs.set(k, String(v));
    const url = `${this.baseUrl}${path}?${qs}`;
    let lastReason: string;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(url, path);
      } catch (e) {
        if (!(e instanceof Retryable)) throw e;
        lastReason = e.message;
        if (attempt >= this.maxRetries) break;
        let delay = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** attempt);
        // Bybit says when a rate-limit window resets; waiting for it beats guessing.
        if (e.waitUntil !== undefined) delay = Math.min(this.maxDelayMs, Math.max(delay, e.waitUntil - this.now()));
        this.onRetry?.({ path, attempt: attempt + 1, delayMs: delay, reason: e.message });
        await this.sleep(delay);
      }
    }
    throw new PlayforgeError('BYBIT_RETRIES_EXHAUSTED', `GET ${path} failed ${this.maxRetries + 1} times; last: ${lastReason}`, { path: url });
  }

  private async once(url: string, path: string): Promise<unknown> {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), this.timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await this.fetchFn(url, { signal: ctrl.signal, headers: { accept: 'application/json' } });
      text = await res.text();
    } catch (e) {
      const reason = ctrl.signal.aborted ? `timed out after ${this.timeoutMs} ms` : `network error: ${(e as Error).message}`;
      throw new Retryable(reason);
    } finally {
      clearTimeout(timer);
    }
    if (res.status === 429 || res.status >= 500) throw new Retryable(`HTTP ${res.status}`);
    if (res.status === 403) {
      throw new PlayforgeError('BYBIT_FORBIDDEN', `GET ${path}: HTTP 403 (IP rate limit or region block); Bybit asks to wait at least 10 minutes before retrying`, { path: url });
    }
    if (!res.ok) throw new PlayforgeError('BYBIT_HTTP', `GET ${path}: HTTP ${res.status} ${text.slice(0, 200)}`, { path: url });
    let body: { retCode?: unknown; retMsg?: unknown; result?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new Retryable(`unreadable body (${text.length} bytes, truncated or not JSON)`);
    }
    const retCode = Number(body.retCode);
    if (retCode !== 0) {
      const retry = RETRY_RET_CODES.get(retCode);
      if (retry) {
        const reset = Number(res.headers.get('x-bapi-limit-reset-timestamp'));
        throw new Retryable(`${retry}: ${String(body.retMsg)}`, retCode === 10006 && Number.isFinite(reset) && reset > 0 ? reset : undefined);
      }
      throw new PlayforgeError('BYBIT_API', `GET ${path}: Bybit retCode ${String(body.retCode)}: ${String(body.retMsg)}`, { path: url });
    }
    if (body.result === null || typeof body.result !== 'object') throw badResponse(path, 'no result object');
    return body.result;
  }
}

function badResponse(path: string, why: string): PlayforgeError {
  return new PlayforgeError('BYBIT_BAD_RESPONSE', `GET ${path}: unexpected response shape: ${why}`, { path });
}
