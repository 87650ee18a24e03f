// DSL throughput: loading a play and resolving a genome, as ratios to plain YAML.parse of the same text
// (the floor any loader pays). resolvePlay runs once per individual in an evolution, so it matters most.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { createRng } from '../../src/common/rng.ts';
import { loadPlay, resolvePlay, sampleGenome } from '../../src/dsl/index.ts';
import { timeMedian, type BenchSuite, type Figure } from '../harness.ts';

const PLAY = new URL('../../test/fixtures/trade-plays/eth_crt_tbs_short_5m.yml', import.meta.url);
const RANGED = `name: bench
features:
  ema_fast: { indicator: ema, params: { length: { min: 5, max: 30, step: 1 } } }
  ema_slow: { indicator: ema, params: { length: [50, 100, 200] } }
  atr_14: { indicator: atr }
structures:
  exec:
    - { type: swing, key: sw, params: { left: [3, 5, 8], right: 5 } }
    - { type: market_structure, key: ms, uses: sw }
actions:
  entry_long:
    - [ema_fast, ">", ema_slow]
    - occurred_within: { bars: [5, 10, 20], expr: [[ms.bos_this_bar, "==", 1]] }
risk_model:
  stop_loss: { type: atr_multiple, value: { min: 1, max: 3, step: 0.5 }, atr_feature_id: atr_14 }
  take_profit: { type: rr_ratio, value: [1.5, 2, 3] }
`;

export const suite: BenchSuite = {
  name: 'dsl',
  async run(): Promise<Figure[]> {
    const text = readFileSync(PLAY, 'utf8');
    const n = 100;
    const yamlMs = (await timeMedian(() => { for (let i = 0; i < n; i++) parse(text); })) / n;
    const loadMs = (await timeMedian(() => { for (let i = 0; i < n; i++) loadPlay(text); })) / n;
    const ranged = loadPlay(RANGED).play!;
    const rng = createRng(1);
    const genomes = Array.from({ length: n }, () => sampleGenome(ranged, rng));
    const rangedYamlMs = (await timeMedian(() => { for (let i = 0; i < n; i++) parse(RANGED); })) / n;
    const resolveMs = (await timeMedian(() => { for (const g of genomes) resolvePlay(ranged, g); })) / n;
    return [
      { name: 'loadPlay (146-line TRADE play)', value: loadMs, unit: 'ms/play', baseline: 'YAML.parse of the same text', baselineValue: yamlMs, ratio: loadMs / yamlMs, note: 'lower is better' },
      { name: 'resolvePlay (9 genes, re-validated)', value: resolveMs, unit: 'ms/genome', baseline: 'YAML.parse of the play text', baselineValue: rangedYamlMs, ratio: resolveMs / rangedYamlMs, note: 'lower is better' },
    ];
  },
};
