// Public surface of the structures stage; other stages import only from here.
// The 13 market-structure detectors of TRADE's Play DSL v3.0.0 plus the seed's standalone trend and hmm_regime.
import { breakerBlock } from './breaker_block.ts';
import { derivedZone } from './derived_zone.ts';
import { displacement } from './displacement.ts';
import { fairValueGap } from './fair_value_gap.ts';
import { fibonacci } from './fibonacci.ts';
import { hmmRegime } from './hmm_regime.ts';
import { liquidityZones } from './liquidity_zones.ts';
import { marketStructure } from './market_structure.ts';
import { orderBlock } from './order_block.ts';
import { premiumDiscount } from './premium_discount.ts';
import { rollingWindow } from './rolling_window.ts';
import { swing } from './swing.ts';
import { trend } from './trend.ts';
import type { StructureImpl } from './types.ts';
import { zone } from './zone.ts';

export type {
  OutputSpec,
  OutputType,
  SeriesInput,
  StructureContext,
  StructureImpl,
  StructureOutput,
  StructureStepper,
} from './types.ts';
export { fibLevelField, formatRatio } from './fibonacci.ts';
export { slotField } from './derived_zone.ts';

/** Every detector, keyed by its DSL structure type. */
export const STRUCTURE_IMPLS: Record<string, StructureImpl> = {
  swing,
  rolling_window: rollingWindow,
  displacement,
  fair_value_gap: fairValueGap,
  trend,
  market_structure: marketStructure,
  fibonacci,
  zone,
  derived_zone: derivedZone,
  order_block: orderBlock,
  liquidity_zones: liquidityZones,
  premium_discount: premiumDiscount,
  breaker_block: breakerBlock,
  hmm_regime: hmmRegime,
};

/**
 * ENUM labels of a structure output field, or undefined when the field is not an ENUM. Per-slot fields
 * resolve through their template (`zone[3].state` -> `zone[N].state`).
 */
export function structureEnumValues(type: string, field: string): readonly string[] | undefined {
  const impl = STRUCTURE_IMPLS[type];
  if (!impl) return undefined;
  return impl.enums[field] ?? impl.enums[field.replace(/\[\d+\]/, '[N]')];
}
