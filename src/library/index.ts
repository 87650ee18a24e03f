// Public surface of the library stage; other stages import only from here.
//
// Contract in short:
// - promoteToLibrary(db, { validationReportId, demoRunId, name? }): a play enters only with a passed
//   validation report AND a passed demo run of the same play; it becomes the next version of its name.
// - Tags come from evidence (deriveTags): regime:<trending|ranging|regime_adaptive>, asset:<SYMBOL>,
//   exchange:<x>, interval:<i>, timeframe:<scalp|intraday|swing>, risk:<aggressive|conservative>.
// - VettedLibrary(db): add, list({ tags, name, includeRetired, allVersions }), get(name, version?), retire.
// - exportLibrary(plays, dir) writes <dir>/<regime>/<name>_v<version>.yml (stats in a comment header).
export {
  REGIMES, TIMEFRAME_CLASSES, RISK_PROFILES, TAG_RULES, deriveTags, regimeOf, timeframeClassOf, riskProfileOf, baseAsset,
  type Regime, type TimeframeClass, type RiskProfile, type PlayTags,
} from './tags.ts';
export { VettedLibrary, type VettedPlay, type NewVettedPlay, type VettedStats, type LibraryFilter } from './vetted.ts';
export { exportLibrary, renderVettedYaml, exportFileName, HEADER_MARK, type ExportResult } from './export.ts';
export { promoteToLibrary, concretePlayOf, type PromoteInput } from './promote.ts';
export * from './errors.ts';
