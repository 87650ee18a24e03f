// The shapes of the primitive and template catalogue (knowledge/primitives/*.yml, knowledge/templates/*.yml).
// A primitive is one trading concept: the phrases that reveal it in a text, a one-line rationale, and the DSL
// fragment it contributes. A template is a strategy skeleton whose slots primitives fill.
import { z } from 'zod';

const ID = /^[a-z][a-z0-9_]*$/;
const id = () => z.string().regex(ID, 'lower_snake identifier');

/** A trigger phrase, optionally weighted: `"fair value gap"` or `{ phrase: "fvg", weight: 2 }`. */
const triggerSchema = z.union([
  z.string().min(2),
  z.strictObject({ phrase: z.string().min(2), weight: z.number().positive().max(10) }),
]);

const conditionList = z.array(z.unknown()).min(1);
const STRUCTURE_ROLES = ['exec', 'low_tf', 'med_tf', 'high_tf'] as const;

/** DSL pieces as written in a play; the DSL itself checks them (see probe.ts). */
export const fragmentSchema = z.strictObject({
  features: z.record(id(), z.record(z.string(), z.unknown())).optional(),
  structures: z.partialRecord(z.enum(STRUCTURE_ROLES), z.array(z.record(z.string(), z.unknown())).min(1)).optional(),
  setups: z.record(id(), z.unknown()).optional(),
  /** Conditions AND-ed into entry_long (all of them must hold). */
  entry_long: conditionList.optional(),
  entry_short: conditionList.optional(),
  /** Conditions OR-ed into exit_long (any of them closes the position). */
  exit_long: conditionList.optional(),
  exit_short: conditionList.optional(),
  risk_model: z.record(z.string(), z.unknown()).optional(),
});

export const primitiveSchema = z.strictObject({
  id: id(),
  title: z.string().min(3),
  /** What slots it can fill: templates accept primitives by kind. */
  kinds: z.array(id()).min(1),
  rationale: z.string().min(10),
  triggers: z.array(triggerSchema).min(1),
  /** Text for the knowledge store's search (default: title + trigger phrases). */
  query: z.string().min(3).optional(),
  fragment: fragmentSchema,
});

export const slotSchema = z.strictObject({
  name: id(),
  accepts: z.array(id()).min(1),
  min: z.number().int().min(0).max(3).default(1),
  max: z.number().int().min(1).max(3).default(1),
  /** The slot that makes the idea: a template is chosen for a source only when its core slots match. */
  core: z.boolean().default(false),
  /** Whether the exit conditions of the primitive in this slot become the play's exits. */
  exits: z.boolean().default(false),
});

export const templateSchema = z.strictObject({
  id: id(),
  title: z.string().min(3),
  /** Short word for play names: <source>_<stem>_001. */
  stem: id(),
  description: z.string().min(10),
  triggers: z.array(triggerSchema).default([]),
  exec: z.enum(['low_tf', 'med_tf', 'high_tf']).default('med_tf'),
  /** Directions the template trades; a combination narrows it to what every primitive supports. */
  directions: z.enum(['long_short', 'long_only', 'short_only']).default('long_short'),
  /** Exit mode when some primitive contributes exits (sl_tp_only otherwise). */
  exit_mode: z.enum(['signal', 'first_hit']).default('first_hit'),
  validation_pattern: z.string().min(1).optional(),
  slots: z.array(slotSchema).min(1),
});

export type Trigger = { phrase: string; weight: number };
export type Fragment = z.infer<typeof fragmentSchema>;
export type FragmentSide = 'entry_long' | 'entry_short' | 'exit_long' | 'exit_short';
export const FRAGMENT_SIDES: readonly FragmentSide[] = ['entry_long', 'entry_short', 'exit_long', 'exit_short'];

export interface Primitive extends Omit<z.infer<typeof primitiveSchema>, 'triggers'> {
  triggers: Trigger[];
  file: string;
}

export type TemplateSlot = z.infer<typeof slotSchema>;

export interface Template extends Omit<z.infer<typeof templateSchema>, 'triggers'> {
  triggers: Trigger[];
  file: string;
}

export interface Catalog {
  primitives: Primitive[];
  templates: Template[];
  primitive(id: string): Primitive | undefined;
  template(id: string): Template | undefined;
}

export function normalizeTriggers(raw: readonly (string | { phrase: string; weight: number })[]): Trigger[] {
  // Longer phrases are more specific, so a plain string weighs by its word count (1, 1.5, 2, ...).
  return raw.map((t) =>
    typeof t === 'string' ? { phrase: t.toLowerCase(), weight: 1 + 0.5 * (t.trim().split(/\s+/).length - 1) } : { phrase: t.phrase.toLowerCase(), weight: t.weight },
  );
}
