// Condition compilation: plan once, then evaluate vectorised (backtest) or at one bar (paper/live).
export { Planner, type PlanNode, type NumNode, type CmpKind, type PlanContext } from './plan.ts';
export { VectorEvaluator, windowed, WANT_TRUE, WANT_FALSE } from './vector.ts';
export { ScalarEvaluator } from './scalar.ts';
export { F, U, T, type Tri, arith, isMissing, isTrue } from './tri.ts';
