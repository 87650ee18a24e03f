// JSON Schema of the Play as written in YAML, for LLM prompts and editors (zod 4's z.toJSONSchema).
import { z } from 'zod';
import { buildPlaySchema } from './schema/play.ts';

let exportSchema: z.ZodType | undefined;

export function playJsonSchema(): Record<string, unknown> {
  // Built once: the schema is a pure function of the registries (and its $defs ids must stay unique).
  exportSchema ??= buildPlaySchema('export');
  const schema = z.toJSONSchema(exportSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { ...schema, title: 'Playforge Play (TRADE Play DSL v3.0.0 + parameter ranges)' };
}
