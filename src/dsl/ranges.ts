// Ranged parameter values (the seed's extension 1): a fixed value, a set of choices, or {min, max, step}.

export type Scalar = number | string | boolean;

/** A list written for a scalar parameter: one of these values is chosen per genome. */
export interface ChoiceSet {
  choices: Scalar[];
}

/** `{ min, max, step }`; without a step an int range steps by 1 and a float range is continuous. */
export interface NumRange {
  min: number;
  max: number;
  step?: number;
}

export type Ranged = ChoiceSet | NumRange;

/** What a parameter holds in a normalized Play: a concrete value, a list value (fib levels), or a range. */
export type ParamValue = Scalar | number[] | Ranged;

export function isChoiceSet(v: unknown): v is ChoiceSet {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Array.isArray((v as ChoiceSet).choices);
}

export function isNumRange(v: unknown): v is NumRange {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) &&
    typeof (v as NumRange).min === 'number' && typeof (v as NumRange).max === 'number'
  );
}

export function isRanged(v: unknown): v is Ranged {
  return isChoiceSet(v) || isNumRange(v);
}

/** Grid points of a stepped range: min, min+step, ... <= max (tolerant to float rounding). */
export function gridSize(min: number, max: number, step: number): number {
  return Math.floor((max - min) / step + 1e-9) + 1;
}

export function gridValue(min: number, step: number, index: number): number {
  // Round away binary noise (0.1 + 0.2) so resolved values print as the user expects.
  return Number((min + index * step).toPrecision(12));
}

/** Every number a ranged value can take (continuous ranges give their two ends). */
export function numericDomain(v: ParamValue, isInt: boolean): number[] {
  if (isChoiceSet(v)) return v.choices.filter((c): c is number => typeof c === 'number');
  if (isNumRange(v)) {
    const step = v.step ?? (isInt ? 1 : undefined);
    if (step === undefined) return [v.min, v.max];
    const n = gridSize(v.min, v.max, step);
    if (n > 10_000) return [v.min, gridValue(v.min, step, n - 1)];
    return Array.from({ length: n }, (_, i) => gridValue(v.min, step, i));
  }
  return typeof v === 'number' ? [v] : [];
}

/** The smallest number a (possibly ranged) value can take, or undefined when it is not numeric. */
export function domainMin(v: ParamValue | undefined, isInt = true): number | undefined {
  if (v === undefined) return undefined;
  const d = numericDomain(v, isInt);
  return d.length ? Math.min(...d) : undefined;
}

export function domainMax(v: ParamValue | undefined, isInt = true): number | undefined {
  if (v === undefined) return undefined;
  const d = numericDomain(v, isInt);
  return d.length ? Math.max(...d) : undefined;
}
