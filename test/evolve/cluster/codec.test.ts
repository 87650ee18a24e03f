// What crosses Redis must come back bit for bit: BullMQ stores JSON, which loses NaN, ±Infinity and -0.
import { describe, expect, it } from 'vitest';
import { decodeExact, encodeExact } from '../../../src/evolve/cluster/codec.ts';
import { batchSizeFor, checkPrefix, chunk, decodeBatch, decodeResults, encodeBatch, encodeResults, slotsOf, workerName, type BatchPayload } from '../../../src/evolve/cluster/protocol.ts';
import { fitnessConfig } from '../../../src/evolve/fitness.ts';
import type { EvalResult } from '../../../src/evolve/evaluator.ts';

describe('lossless JSON codec', () => {
  it('round-trips non-finite numbers, -0 and the shortest decimal of every double', () => {
    const value = { a: NaN, b: Infinity, c: -Infinity, d: -0, e: 0, f: 0.1 + 0.2, g: 5e-324, h: [1, NaN, -0, { x: -Infinity }], s: 'NaN', n: null, t: true };
    const back = decodeExact<typeof value>(encodeExact(value));
    expect(Number.isNaN(back.a)).toBe(true);
    expect(back.b).toBe(Infinity);
    expect(back.c).toBe(-Infinity);
    expect(Object.is(back.d, -0)).toBe(true);
    expect(Object.is(back.e, 0)).toBe(true);
    expect(back.f).toBe(0.1 + 0.2);
    expect(back.g).toBe(5e-324);
    expect(Number.isNaN(back.h[1] as number)).toBe(true);
    expect(Object.is(back.h[2], -0)).toBe(true);
    expect(back.h[3]).toEqual({ x: -Infinity });
    expect(back.s).toBe('NaN');
    expect(back.n).toBeNull();
    expect(back.t).toBe(true);
    // Plain JSON would have lost them: the point of the codec.
    expect(JSON.parse(JSON.stringify(value)).b).toBeNull();
  });

  it('leaves objects that merely look like tags alone', () => {
    const value = { x: { $num: 'oops' }, y: { $num: 'NaN', other: 1 } };
    expect(decodeExact(encodeExact(value))).toEqual(value);
  });
});

describe('batch protocol', () => {
  const payload: BatchPayload = {
    jobId: 'gen-3',
    batch: 2,
    playHash: 'abc',
    playYaml: 'name: p\n',
    dataset: { hash: 'h', datasetId: 'bybit:BTCUSDT:1h', execInterval: '1h', window: { from: 0, to: 3_600_000 } },
    fitness: fitnessConfig({ minTrades: 3 }),
    genomes: [{ 'features.ema.params.length': 12, 'risk_model.stop_loss.type': 'atr_multiple', flag: true }],
  };

  it('carries a batch through job data unchanged, with readable fields beside it', () => {
    const data = encodeBatch(payload);
    expect(data).toMatchObject({ v: 2, jobId: 'gen-3', batch: 2, genomes: 1, dataset: 'h' });
    expect(decodeBatch(JSON.parse(JSON.stringify(data)))).toEqual(payload);
  });

  it('refuses a batch of another protocol version', () => {
    expect(() => decodeBatch({ ...encodeBatch(payload), v: 99 })).toThrow(/protocol v99/);
  });

  it('returns results with Infinity, NaN and -0 metrics intact, and refuses garbled ones', () => {
    const metrics = Object.fromEntries(
      ['totalReturnPct', 'cagrPct', 'sharpe', 'sortino', 'calmar', 'maxDrawdownPct', 'maxDrawdownBars', 'maxDrawdownDurationMs', 'winRatePct', 'profitFactor',
        'expectancy', 'exposurePct', 'trades', 'avgTradeReturnPct', 'avgHoldingBars', 'avgHoldingMs', 'totalFees', 'totalFunding', 'finalEquity'].map((k, i) => [k, i * 1.25 + 0.1]),
    ) as unknown as NonNullable<EvalResult['metrics']>;
    const results: EvalResult[] = [
      { genomeKey: 'k', fitness: 1.5, objectives: [1.5, -2], metrics: { ...metrics, profitFactor: Infinity, sharpe: NaN, expectancy: -0 } },
      { genomeKey: 'bad', fitness: -1e6, objectives: [-1e6, -1e6], metrics: null, error: 'DSL_X: nope' },
    ];
    // Through BullMQ's JSON (the return value is stored and read back as text).
    const text = JSON.parse(JSON.stringify(encodeResults(results, 2))) as string;
    const back = decodeResults(text, ['k', 'bad']);
    expect(back).toEqual(results);
    expect(back[0].metrics?.profitFactor).toBe(Infinity);
    expect(Object.is(back[0].metrics?.expectancy, -0)).toBe(true);
    expect(() => decodeResults({ not: 'text' }, ['k'])).toThrow(/expected encoded results/);
    expect(() => decodeResults('{"objectives":2,"values":"AAAA","errors":[]}', ['k'])).toThrow(/bytes of doubles/);
    expect(() => decodeResults(text, ['k'])).toThrow(/doubles for 1 genomes/);
    expect(() => decodeResults('[1,2]', ['k'])).toThrow(/not packed results/);
  });

  it('splits genomes into consecutive batches in order', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
  });

  it('sizes batches to the connected worker slots, read from the workers\' client names', () => {
    const names = [`bull:ZXZhbA==:w:${workerName(1, 'box-1.local', 41)}`, `bull:ZXZhbA==:w:${workerName(4, 'gpu', 7)}`, 'bull:ZXZhbA==:w:someone-else'];
    expect(workerName(4, 'gpu', 7)).toBe('pf-worker-c4-gpu-7');
    expect(slotsOf(names)).toBe(6);
    expect(slotsOf([])).toBe(0);
    expect(batchSizeFor(96, 2, 3, 4)).toBe(16);
    expect(batchSizeFor(97, 2, 3, 4)).toBe(17);
    expect(batchSizeFor(5, 8, 3, 4)).toBe(1);
    expect(batchSizeFor(96, 0, 3, 4)).toBe(4);
    // A minimum batch size (enough work per batch) grows batches, but every slot still gets one.
    expect(batchSizeFor(96, 2, 3, 4, 30)).toBe(30);
    expect(batchSizeFor(96, 2, 3, 4, 80)).toBe(48);
    expect(batchSizeFor(96, 2, 3, 4, 5)).toBe(16);
    expect(batchSizeFor(3, 8, 3, 4, 50)).toBe(1);
  });

  it('accepts only prefixes that are safe in keys and job ids', () => {
    expect(checkPrefix('pf_test-1.a')).toBe('pf_test-1.a');
    expect(() => checkPrefix('a:b')).toThrow(expect.objectContaining({ code: 'CLUSTER_BAD_OPTION' }));
    expect(() => checkPrefix('')).toThrow(/prefix/);
  });
});
